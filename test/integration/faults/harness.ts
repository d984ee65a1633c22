/**
 * Shared by the fault-injection tests: runs the real pipeline against moto, directly (clean) or
 * through the fault proxy (test/support/aws-proxy.ts), snapshots the account, and says what
 * "destructive" and "worse" mean.
 *
 * Worse (a run under faults must never leave the fleet worse than before):
 * - a group's min, max or desired moved to a value that is neither what it was nor what the YAML
 *   asks (for desired without a YAML value: nor its old value brought into the new [min, max]);
 *   a group that existed is gone;
 * - an owned alarm (`gitops-`) whose actions name a scaling policy that does not exist;
 * - a registration lost: a target registered before, naming an instance that is still InService
 *   in a group whose YAML lists the target group, is not registered after;
 * - something not ours (no `gitops-` prefix) changed or disappeared.
 */

import {
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll } from 'vitest';
import { OWNED_PREFIX, type Plan } from '../../../src/model.ts';
import type { ApplyRun } from '../../../src/pipeline.ts';
import { type AwsProxy, type AwsProxyOptions, startAwsProxy } from '../../support/aws-proxy.ts';
import type { MotoHandle } from '../../support/moto.ts';
import { type PipelineHarness, usePipeline } from '../../support/pipeline.ts';

/** The planners' clock: a day from now, past any prune grace of what moto made a moment ago. */
export const now = (): Date => new Date(Date.now() + 86_400_000);

/** The bar: on EVERY call, 30% throttling, 10% 5xx and 5% connection resets. */
export const EVERY_CALL = { throttle: 0.3, serverError: 0.1, reset: 0.05 } as const;
/** Every attempt fails: throttling, 5xx and resets (both sides of the request). */
export const ALWAYS = { throttle: 0.5, serverError: 0.3, reset: 0.2 } as const;

export type { RunOptions } from '../../support/pipeline.ts';
export type Runner = PipelineHarness;

/** Each run gets its own config folder (web.yml) and its own client pool. */
export function useRunner(moto: MotoHandle): Runner {
  return usePipeline(moto, { file: 'web.yml', now });
}

/** One fault proxy in front of this file's moto, started once; reconfigure it per test. */
export function useProxy(moto: MotoHandle): {
  readonly current: AwsProxy;
  start(options?: Omit<AwsProxyOptions, 'target'>): AwsProxy;
} {
  let proxy: AwsProxy | undefined;
  beforeAll(async () => {
    proxy = await startAwsProxy({ target: moto.endpoint });
  });
  afterAll(async () => {
    await proxy?.close();
  });
  const current = (): AwsProxy => {
    if (proxy === undefined) throw new Error('the proxy is not running');
    return proxy;
  };
  return {
    get current() {
      return current();
    },
    /** Resets the proxy's counters and settings to `options` (no latency, no faults by default). */
    start(options = {}) {
      const p = current();
      p.configure({
        latencyMs: 0,
        jitterMs: 0,
        faults: {},
        scope: 'all',
        resetPhase: 'either',
        seed: 1,
        faultyAttempts: Number.POSITIVE_INFINITY,
        answers: 'off',
        ...options,
      });
      p.resetStats();
      return p;
    },
  };
}

/** `type action id` of the changes that take something away (delete, deregister). */
export function destructive(plan: Plan): string[] {
  return plan.changes
    .filter((c) => c.action === 'delete' || c.action === 'deregister')
    .map((c) => `${c.type} ${c.action} ${c.id}`)
    .sort();
}

/** The destructive changes apply actually made. */
export function appliedDestructive(run: ApplyRun & { plan: Plan }): string[] {
  return run.plan.changes
    .filter(
      (c) =>
        (c.action === 'delete' || c.action === 'deregister') &&
        run.report?.results.get(c.address)?.status === 'applied',
    )
    .map((c) => `${c.type} ${c.action} ${c.id}`)
    .sort();
}

export interface GroupState {
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  readonly inService: readonly string[];
}

export interface Snapshot {
  readonly groups: ReadonlyMap<string, GroupState>;
  /** ARN → `group/name`. */
  readonly policies: ReadonlyMap<string, string>;
  /** Alarm name → its alarm actions, for every alarm (owned or not). */
  readonly alarms: ReadonlyMap<string, readonly string[]>;
  /** `group/name` → the action's settings, as JSON. */
  readonly schedules: ReadonlyMap<string, string>;
  /** Target group ARN → registered target ids. */
  readonly targets: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Everything the groups pipeline touches, read straight from moto. */
export async function snapshot(moto: MotoHandle): Promise<Snapshot> {
  const clients = moto.clients();
  const [asgs, policies, alarms, schedules, tgs] = await Promise.all([
    clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 100 })),
    clients.autoscaling.send(new DescribePoliciesCommand({})),
    clients.cloudwatch.send(new DescribeAlarmsCommand({})),
    clients.autoscaling.send(new DescribeScheduledActionsCommand({})),
    clients.elbv2.send(new DescribeTargetGroupsCommand({})),
  ]);
  const targets = new Map<string, Set<string>>();
  for (const tg of tgs.TargetGroups ?? []) {
    const arn = tg.TargetGroupArn ?? '';
    const health = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    targets.set(arn, new Set((health.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id ?? '')));
  }
  return {
    groups: new Map(
      (asgs.AutoScalingGroups ?? []).map((g) => [
        g.AutoScalingGroupName ?? '',
        {
          min: g.MinSize ?? 0,
          max: g.MaxSize ?? 0,
          desired: g.DesiredCapacity ?? 0,
          inService: (g.Instances ?? [])
            .filter((i) => i.LifecycleState === 'InService')
            .map((i) => i.InstanceId ?? '')
            .sort(),
        },
      ]),
    ),
    policies: new Map(
      (policies.ScalingPolicies ?? []).map((p) => [
        p.PolicyARN ?? '',
        `${p.AutoScalingGroupName}/${p.PolicyName}`,
      ]),
    ),
    alarms: new Map((alarms.MetricAlarms ?? []).map((a) => [a.AlarmName ?? '', a.AlarmActions ?? []])),
    schedules: new Map(
      (schedules.ScheduledUpdateGroupActions ?? []).map((s) => [
        `${s.AutoScalingGroupName}/${s.ScheduledActionName}`,
        JSON.stringify([s.Recurrence, s.MinSize, s.MaxSize, s.DesiredCapacity]),
      ]),
    ),
    targets,
  };
}

/** What the YAML asks of the fleet, for {@link worse}. */
export interface Intent {
  /** Sizes the YAML sets, by group. */
  readonly sizes: Readonly<
    Record<string, { readonly min?: number; readonly max?: number; readonly desired?: number }>
  >;
  /** Target group ARN → the groups whose YAML lists it. */
  readonly targetGroups?: Readonly<Record<string, readonly string[]>>;
}

/** Every way `after` is worse than `before` (empty: not worse). */
export function worse(before: Snapshot, after: Snapshot, intent: Intent): string[] {
  const problems: string[] = [];
  for (const [name, was] of before.groups) {
    const now = after.groups.get(name);
    if (now === undefined) {
      problems.push(`group ${name} is gone`);
      continue;
    }
    const want = intent.sizes[name] ?? {};
    for (const field of ['min', 'max'] as const) {
      if (now[field] !== was[field] && now[field] !== want[field]) {
        problems.push(
          `group ${name}: ${field} ${was[field]} → ${now[field]}, the YAML says ${want[field] ?? 'nothing'}`,
        );
      }
    }
    const clamped = Math.min(Math.max(was.desired, now.min), now.max);
    if (![was.desired, want.desired, clamped].includes(now.desired)) {
      problems.push(
        `group ${name}: desired ${was.desired} → ${now.desired}, the YAML says ${want.desired ?? 'nothing'}`,
      );
    }
  }
  for (const [alarm, actions] of after.alarms) {
    if (!alarm.startsWith(OWNED_PREFIX)) continue;
    for (const action of actions) {
      if (action.includes(':scalingPolicy:') && !after.policies.has(action)) {
        problems.push(`owned alarm ${alarm} runs a policy that does not exist: ${action}`);
      }
    }
  }
  const inService = new Map<string, Set<string>>();
  for (const [arn, groups] of Object.entries(intent.targetGroups ?? {})) {
    inService.set(arn, new Set(groups.flatMap((g) => after.groups.get(g)?.inService ?? [])));
  }
  for (const [arn, was] of before.targets) {
    const live = inService.get(arn);
    if (live === undefined) continue;
    for (const id of was) {
      if (live.has(id) && !after.targets.get(arn)?.has(id))
        problems.push(`target ${id} of ${arn} was deregistered`);
    }
  }
  const notOurs = (name: string): boolean => !name.split('/').pop()?.startsWith(OWNED_PREFIX);
  for (const [arn, name] of before.policies) {
    if (notOurs(name) && after.policies.get(arn) !== name) problems.push(`policy ${name} (not ours) changed`);
  }
  for (const [name, actions] of before.alarms) {
    if (notOurs(name) && JSON.stringify(after.alarms.get(name)) !== JSON.stringify(actions)) {
      problems.push(`alarm ${name} (not ours) changed`);
    }
  }
  for (const [key, value] of before.schedules) {
    if (notOurs(key) && after.schedules.get(key) !== value)
      problems.push(`scheduled action ${key} (not ours) changed`);
  }
  return problems;
}

/** Owned objects that should not be there: alarms without exactly one existing policy. */
export function orphans(state: Snapshot): string[] {
  const problems: string[] = [];
  for (const [alarm, actions] of state.alarms) {
    if (!alarm.startsWith(OWNED_PREFIX)) continue;
    const policies = actions.filter((a) => a.includes(':scalingPolicy:'));
    if (policies.length !== 1 || !state.policies.has(policies[0] ?? '')) {
      problems.push(`owned alarm ${alarm} runs ${JSON.stringify(policies)}`);
    }
  }
  return problems;
}

/** The owned objects of a snapshot, by kind, sorted: equal sets mean no duplicate and none missing. */
export function ownedNames(state: Snapshot): { policies: string[]; alarms: string[]; schedules: string[] } {
  const owned = (names: Iterable<string>) =>
    [...names].filter((n) => n.split('/').pop()?.startsWith(OWNED_PREFIX)).sort();
  return {
    policies: owned(state.policies.values()),
    alarms: owned(state.alarms.keys()),
    schedules: owned(state.schedules.keys()),
  };
}
