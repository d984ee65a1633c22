/**
 * A plan with every change type and action the planners make, as they make them (container
 * instances by ARN, a drain that keeps the instance id in both sides, a service brought back inside
 * its bounds, expression events with series, blocked prunes, errors and warnings), and its apply
 * report. The comment's HTML test and scripts/screenshot-comment.ts render it.
 */
import type {
  ApplyReport,
  BlockedChange,
  Change,
  ChangeResult,
  MetricPoint,
  Plan,
  ScalingDecision,
} from '../../src/model.ts';
import { summarize } from '../../src/plan/index.ts';

const REGION = { region: 'us-east-1' };
const CI_ARN = (id: string) => `arn:aws:ecs:us-east-1:123456789012:container-instance/web-cluster/${id}`;

function make(c: Omit<Change, 'scope' | 'dependsOn'> & { dependsOn?: readonly string[] }): Change {
  return { scope: REGION, dependsOn: [], ...c } as Change;
}

/** 30 five-minute points ending at 12:00 UTC. */
function series(values: (i: number) => number): MetricPoint[] {
  return Array.from({ length: 30 }, (_, i) => ({
    at: new Date(Date.UTC(2030, 5, 1, 12, 0) - (29 - i) * 300_000).toISOString(),
    value: Math.round(values(i) * 10) / 10,
  }));
}

const cpu = series((i) => 35 + 30 * Math.sin(i / 4) + i);
const mem = series((i) => 40 + 10 * Math.cos(i / 5));
const load = cpu.map((p, i) => ({ at: p.at, value: Math.max(p.value, mem[i]?.value ?? 0) }));
const queue = series((i) => (i < 20 ? 2 : 4 + (i - 20) * 1.5));

const changes: Change[] = [
  make({
    address: 'web/groups/web-asg',
    type: 'autoscaling_group',
    action: 'update',
    id: 'web-asg',
    file: 'clusters/web.yml',
    line: 3,
    before: { min: 1, max: 4, desired: 2 },
    after: { min: 2, max: 8, desired: 2 },
    reason: 'min 1 → 2, max 4 → 8',
    operation: { kind: 'update_group', group: 'web-asg', min: 2, max: 8 },
  }),
  make({
    address: 'web/groups/api-asg',
    type: 'autoscaling_group',
    action: 'create',
    id: 'api-asg',
    file: 'clusters/web.yml',
    line: 14,
    before: null,
    after: {
      min: 1,
      max: 3,
      launch_template: 'api-lt $Latest',
      availability_zones: ['us-east-1a', 'us-east-1b'],
    },
    reason: 'not in AWS: created',
    operation: { kind: 'create_group', group: 'api-asg', min: 1, max: 3, launch: {} } as never,
  }),
  make({
    address: 'web/groups/web-asg/policies/gitops-web-asg-cpu-up',
    type: 'scaling_policy',
    action: 'update',
    id: 'gitops-web-asg-cpu-up',
    file: 'clusters/web.yml',
    line: 8,
    before: { scaling_adjustment: 1 },
    after: { scaling_adjustment: 2 },
    reason: 'scaling_adjustment 1 → 2',
    operation: { kind: 'put_policy' } as never,
  }),
  make({
    address: 'web/groups/web-asg/alarms/gitops-web-asg-cpu-up',
    type: 'metric_alarm',
    action: 'update',
    id: 'gitops-web-asg-cpu-up',
    file: 'clusters/web.yml',
    line: 9,
    before: { threshold: 80 },
    after: { threshold: 85 },
    reason: 'threshold 80 → 85',
    operation: { kind: 'put_alarm' } as never,
  }),
  make({
    address: 'web/groups/web-asg/schedules/gitops-web-asg-night',
    type: 'scheduled_action',
    action: 'delete',
    id: 'gitops-web-asg-night',
    file: 'clusters/web.yml',
    line: 3,
    before: { recurrence: '0 22 * * *', min: 1, max: 2 },
    after: null,
    reason: 'ours, no longer in the YAML: deleted',
    operation: { kind: 'delete_schedule' } as never,
  }),
  make({
    address: 'web/targets/web-tg/i-0a1b2c3d4e5f60001',
    type: 'target',
    action: 'register',
    id: 'i-0a1b2c3d4e5f60001',
    file: 'clusters/web.yml',
    line: 5,
    before: null,
    after: { target_group: 'web-tg', port: 8080 },
    reason: 'in web-asg and InService, not registered',
    operation: {
      kind: 'register_targets',
      targetGroupArn: 'arn:aws:elasticloadbalancing:tg/web-tg',
      targets: [],
    },
  }),
  make({
    address: 'web/prune/targets/web-tg/i-0a1b2c3d4e5f60002',
    type: 'target',
    action: 'deregister',
    id: 'i-0a1b2c3d4e5f60002',
    file: 'clusters/web.yml',
    line: 20,
    before: { target_group: 'web-tg', port: 8080, instance_state: 'terminated' },
    after: null,
    reason: 'instance i-0a1b2c3d4e5f60002 is terminated since 2030-06-01T10:00:00Z',
    operation: {
      kind: 'deregister_targets',
      targetGroupArn: 'arn:aws:elasticloadbalancing:tg/web-tg',
      targets: [],
    },
  }),
  make({
    address: 'web/prune/registries/chef/web-7.example.com',
    type: 'registry_entry',
    action: 'delete',
    id: 'web-7.example.com',
    file: 'clusters/web.yml',
    line: 24,
    before: { registry: 'chef', instance: 'i-0a1b2c3d4e5f60007', instance_state: 'terminated' },
    after: null,
    reason: 'instance i-0a1b2c3d4e5f60007 is terminated since 2030-06-01T09:00:00Z',
    operation: { kind: 'delete_registry_entry' } as never,
  }),
  make({
    address: 'web-cluster/services/worker',
    type: 'ecs_service',
    action: 'update',
    id: 'worker',
    file: 'clusters/web-cluster.yml',
    line: 6,
    before: { desired: 2 },
    after: { desired: 3 },
    reason: 'events[0] queue_length = 14.5 (≥ 5, +1): desired 2 → 3 (running 2)',
    operation: { kind: 'update_service' } as never,
    decisions: [
      { metric: 'queue_length', value: 14.5, rule: { min: 5, max: null, action: 1 }, series: queue },
    ],
  }),
  make({
    address: 'web-cluster/services/api',
    type: 'ecs_service',
    action: 'update',
    id: 'api',
    file: 'clusters/web-cluster.yml',
    line: 18,
    before: { desired: 12 },
    after: { desired: 8 },
    reason: 'desired 12 is above max 8: brought back to 8 (running 12)',
    operation: { kind: 'update_service' } as never,
  }),
  make({
    address: 'web-cluster/services/backend',
    type: 'ecs_service',
    action: 'update',
    id: 'backend',
    file: 'clusters/web-cluster.yml',
    line: 30,
    before: { desired: 4 },
    after: { desired: 3 },
    reason: 'events[1] max([cpu, mem]) = 40 (≤ 40, -1): desired 4 → 3 (running 4)',
    operation: { kind: 'update_service' } as never,
    decisions: [
      { metric: 'max([cpu, mem])', value: 40, rule: { min: 70, max: null, action: 1 }, series: load },
      { metric: 'max([cpu, mem])', value: 40, rule: { min: null, max: 40, action: -1 }, series: load },
    ],
  }),
  make({
    address: 'web-cluster/capacity/ecs-asg/container_instances/i-020e4a8b9c1d2e3f4',
    type: 'ecs_container_instance',
    action: 'update',
    id: CI_ARN('0f3e1b2a9c8d4e5f8a7b6c5d4e3f2a1b'),
    file: 'clusters/web-cluster.yml',
    line: 2,
    before: { status: 'ACTIVE', instance: 'i-020e4a8b9c1d2e3f4' },
    after: { status: 'DRAINING', instance: 'i-020e4a8b9c1d2e3f4' },
    reason:
      'its load (512 CPU / 1024 MiB, 2 tasks) and 0 waiting tasks fit on the other active instances: drained, to be terminated on a later run once it runs no tasks',
    operation: {
      kind: 'drain_container_instance',
      cluster: 'web-cluster',
      containerInstance: CI_ARN('0f3e1b2a9c8d4e5f8a7b6c5d4e3f2a1b'),
      instanceId: 'i-020e4a8b9c1d2e3f4',
    },
  }),
  make({
    address: 'web-cluster/capacity/ecs-asg/instances/i-0990abcdef1234567',
    type: 'instance',
    action: 'delete',
    id: 'i-0990abcdef1234567',
    file: 'clusters/web-cluster.yml',
    line: 2,
    before: { status: 'DRAINING', running_tasks: 0, group: 'ecs-asg' },
    after: null,
    reason: 'drained and running no tasks: terminated in ecs-asg, decrementing its desired capacity',
    operation: { kind: 'terminate_instance', group: 'ecs-asg', instanceId: 'i-0990abcdef1234567' },
  }),
  make({
    address: 'web-cluster/prune/ecs/9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
    type: 'ecs_container_instance',
    action: 'deregister',
    id: CI_ARN('9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d'),
    file: 'clusters/web-cluster.yml',
    line: 40,
    before: { status: 'ACTIVE', agent_connected: false, running_tasks: 0 },
    after: null,
    reason:
      'its EC2 instance i-0fedcba987654321 is terminated; deregistered with force (its tasks went with it)',
    operation: {
      kind: 'prune_container_instance',
      cluster: 'web-cluster',
      containerInstance: CI_ARN('9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d'),
      force: true,
    },
  }),
];

const blocked: BlockedChange[] = ['web-3', 'web-4', 'web-5'].map((name) => {
  const entry = make({
    address: `web/prune/registries/chef/${name}.example.com`,
    type: 'registry_entry',
    action: 'delete',
    id: `${name}.example.com`,
    file: 'clusters/web.yml',
    line: 24,
    before: { registry: 'chef', instance: `i-0${name}`, instance_state: 'terminated' },
    after: null,
    reason: `instance i-0${name} is terminated`,
    operation: { kind: 'delete_registry_entry' } as never,
  });
  return {
    address: entry.address,
    reason: 'would prune 3 of 9 chef entries (33.3% > 25%)',
    change: entry,
    guard: { key: 'prune.max', file: 'clusters/web.yml', line: 22 },
  };
});

const decisions: ScalingDecision[] = [
  {
    kind: 'ecs_service',
    address: 'web-cluster/services/worker',
    id: 'worker',
    cluster: 'web-cluster',
    file: 'clusters/web-cluster.yml',
    line: 6,
    outcome: 'scale',
    metrics: { queue_length: 14.5 },
    events: [
      {
        index: 0,
        metric: 'queue_length',
        value: 14.5,
        result: 'fired',
        min: 5,
        max: null,
        action: 1,
        line: 12,
      },
    ],
    before: 2,
    after: 3,
    reason: 'events[0] queue_length = 14.5 (≥ 5, +1): desired 2 → 3',
  },
  {
    kind: 'ecs_service',
    address: 'web-cluster/services/api',
    id: 'api',
    cluster: 'web-cluster',
    outcome: 'scale',
    metrics: { cpu: 91 },
    events: [],
    before: 12,
    after: 8,
    reason: 'desired 12 is above max 8: brought back to 8',
  },
  {
    kind: 'ecs_service',
    address: 'web-cluster/services/backend',
    id: 'backend',
    cluster: 'web-cluster',
    outcome: 'scale',
    metrics: { cpu: 15, mem: 40 },
    events: [
      { index: 0, metric: 'max([cpu, mem])', value: 40, result: 'no_match', min: 70, max: null, action: 1 },
      { index: 1, metric: 'max([cpu, mem])', value: 40, result: 'fired', min: null, max: 40, action: -1 },
    ],
    before: 4,
    after: 3,
    reason: 'events[1] max([cpu, mem]) = 40 (≤ 40, -1): desired 4 → 3',
  },
  {
    kind: 'ecs_service',
    address: 'web-cluster/services/frontend',
    id: 'frontend',
    cluster: 'web-cluster',
    outcome: 'unchanged',
    metrics: { cpu: 15, mem: 40 },
    events: [
      { index: 0, metric: 'max([cpu, mem])', value: 40, result: 'no_match', min: 70, max: null, action: 1 },
      { index: 1, metric: 'max([cpu, mem])', value: 40, result: 'no_match', min: null, max: 20, action: -1 },
    ],
    before: 2,
    after: 2,
    reason: 'no event matched (max([cpu, mem]) = 40; cpu = 15, mem = 40): desired stays 2',
    series: { 'max([cpu, mem])': load.map((p) => ({ at: p.at, value: Math.min(p.value, 60) })) },
  },
  {
    kind: 'ecs_service',
    address: 'web-cluster/services/reports',
    id: 'reports',
    cluster: 'web-cluster',
    outcome: 'no_data',
    metrics: { queue_length: null },
    events: [],
    before: 1,
    after: 1,
    reason: 'not scaled this run: queue_length: no complete datapoint',
  },
  {
    kind: 'ecs_capacity',
    address: 'web-cluster/capacity/ecs-asg',
    id: 'ecs-asg',
    cluster: 'web-cluster',
    outcome: 'scale',
    metrics: {},
    events: [],
    before: 3,
    after: 3,
    reason: 'no task waits for room on 3 active instances; drain i-020e4a8b9c1d2e3f4',
  },
];

export const COMMENT_PLAN: Plan = {
  changes,
  blocked,
  warnings: [
    {
      file: 'clusters/web.yml',
      line: 24,
      message:
        'registry chef: 2 of 11 entries do not name an instance through web-(i-[0-9a-f]+): not ours, never touched; prune.max counts the other 9',
    },
  ],
  errors: [
    {
      file: 'clusters/web.yml',
      line: 30,
      message: 'group ghost-asg does not exist, and the YAML cannot create it',
    },
  ],
  summary: summarize(changes, blocked.length),
  decisions,
};

/** The same plan applied: one change failed, one skipped after it. */
export function commentReport(): ApplyReport {
  const results = new Map<string, ChangeResult>(changes.map((c) => [c.address, { status: 'applied' }]));
  results.set('web/groups/api-asg', {
    status: 'failed',
    error: 'ValidationError: launch template api-lt not found',
  });
  results.set('web/groups/web-asg/policies/gitops-web-asg-cpu-up', {
    status: 'skipped',
    why: 'depends on web/groups/api-asg, which failed',
  });
  const n = (s: ChangeResult['status']) => [...results.values()].filter((r) => r.status === s).length;
  return { plan: COMMENT_PLAN, results, applied: n('applied'), failed: n('failed'), skipped: n('skipped') };
}
