/** Builders for the ECS planner tests: Desired from YAML (the real normaliser), Live by hand. */
import { parseSource } from '../../../src/config/load.ts';
import type { ClusterFile } from '../../../src/config/types.ts';
import { buildDesired } from '../../../src/desired/index.ts';
import {
  type Desired,
  type Known,
  known,
  type Live,
  type LiveEcsInstance,
  type LiveEcsService,
  type LiveGroup,
  type MetricValue,
  type Plan,
  type ScalingDecision,
  scopeKey,
  type TaskSize,
  unknown,
} from '../../../src/model.ts';
import { plan } from '../../../src/plan/index.ts';

export const REGION = 'us-east-1';
export const NOW = new Date('2030-06-01T12:00:00Z');
const ACCOUNT = '123456789012';
export const CLUSTER = 'my_cluster';
export const FILE = `clusters/${CLUSTER}.yml`;

export function desiredFrom(yaml: string, path = FILE): Desired {
  const { file, diagnostics } = parseSource(yaml, path);
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const config = file.data as ClusterFile;
  const result = buildDesired([{ file, config, cluster: config.cluster ?? file.stem }], {
    region: REGION,
  });
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.desired;
}

export function taskDefinitionArn(family: string): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:1`;
}

export function service(name: string, init: Partial<LiveEcsService> = {}): LiveEcsService {
  const desired = init.desired ?? 2;
  return {
    name,
    arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${name}`,
    status: 'ACTIVE',
    desired,
    running: init.running ?? desired,
    pending: init.pending ?? 0,
    taskDefinition: taskDefinitionArn(name),
    ...init,
  };
}

/** A container instance of 4096 CPU / 8192 MiB by default, `used` of it reserved. */
export function instance(
  id: string,
  init: {
    status?: string;
    used?: { cpu: number; memory: number };
    size?: { cpu: number; memory: number };
    tasks?: number;
    pending?: number;
    agentConnected?: boolean;
  } = {},
): LiveEcsInstance {
  const size = init.size ?? { cpu: 4096, memory: 8192 };
  const used = init.used ?? { cpu: 0, memory: 0 };
  return {
    arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/${CLUSTER}/${id}`,
    ec2InstanceId: id,
    status: init.status ?? 'ACTIVE',
    agentConnected: init.agentConnected ?? true,
    runningTasks: init.tasks ?? 0,
    pendingTasks: init.pending ?? 0,
    registered: size,
    remaining: { cpu: size.cpu - used.cpu, memory: size.memory - used.memory },
  };
}

export function asg(
  name: string,
  sizes: { min: number; max: number; desired: number },
  instanceIds: readonly string[] = [],
): LiveGroup {
  return {
    name,
    arn: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:uuid:autoScalingGroupName/${name}`,
    ...sizes,
    availabilityZones: ['us-east-1a'],
    subnets: [],
    targetGroupArns: [],
    loadBalancerNames: [],
    healthCheckType: 'EC2',
    healthCheckGrace: 0,
    tags: {},
    instances: instanceIds.map((id) => ({
      id,
      lifecycleState: 'InService',
      healthStatus: 'Healthy',
      availabilityZone: 'us-east-1a',
    })),
  };
}

export type MetricInit = number | null | string | MetricValue;

export interface EcsLiveInit {
  /** By service name; a Known passes through as is. */
  services?: Record<string, LiveEcsService | null | Known<LiveEcsService | null>>;
  /** By alias: a number, a MetricValue, null (no reading at all) or a string (unknown with that reason). */
  metrics?: Record<string, MetricInit>;
  instances?: LiveEcsInstance[] | Known<readonly LiveEcsInstance[]>;
  /** By task family (the service name by default). */
  taskSizes?: Record<string, TaskSize | Known<TaskSize>>;
  groups?: Record<string, LiveGroup | null | Known<LiveGroup | null>>;
  exists?: boolean;
}

function asKnown<T>(v: T | Known<T>): Known<T> {
  return v !== null && typeof v === 'object' && 'known' in v ? (v as Known<T>) : known(v as T);
}

export function liveFor(desired: Desired, init: EcsLiveInit): Live {
  const scope = { region: REGION };
  const metrics = new Map<string, Known<MetricValue>>();
  for (const cluster of desired.clusters ?? []) {
    for (const s of cluster.services) {
      for (const spec of s.metrics) {
        const value = init.metrics?.[spec.alias];
        if (value === undefined || value === null) continue;
        if (typeof value === 'string') metrics.set(spec.key, unknown(value));
        else metrics.set(spec.key, known(typeof value === 'number' ? { value } : value));
      }
    }
  }
  const services = new Map(
    Object.entries(init.services ?? {}).map(([name, s]) => [name, asKnown<LiveEcsService | null>(s)]),
  );
  const taskSizes = new Map(
    Object.entries(init.taskSizes ?? {}).map(([family, size]) => [taskDefinitionArn(family), asKnown(size)]),
  );
  const instances =
    init.instances === undefined ? undefined : asKnown<readonly LiveEcsInstance[]>(init.instances);
  const groups = new Map(
    Object.entries(init.groups ?? {}).map(([name, g]) => [name, asKnown<LiveGroup | null>(g)]),
  );
  return {
    metrics,
    scopes: new Map([
      [
        scopeKey(scope),
        {
          scope,
          groups,
          policies: known([]),
          alarms: known([]),
          scheduledActions: known([]),
          ecs: new Map([
            [
              CLUSTER,
              {
                name: CLUSTER,
                exists: init.exists ?? true,
                services,
                taskSizes,
                ...(instances === undefined ? {} : { instances }),
              },
            ],
          ]),
        },
      ],
    ]),
  };
}

export function planFor(yaml: string, init: EcsLiveInit, now: Date = NOW): Plan {
  const desired = desiredFrom(yaml);
  return plan(desired, liveFor(desired, init), now);
}

export function decision(result: Plan, address: string): ScalingDecision {
  const found = result.decisions?.find((d) => d.address === address);
  if (found === undefined) throw new Error(`no decision for ${address}`);
  return found;
}
