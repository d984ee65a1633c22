/** Builders for the prune planner tests: Desired from YAML (the real normaliser), Live by hand. */
import {
  type Desired,
  type Known,
  known,
  type Live,
  type LiveContainerInstance,
  type LiveGroup,
  type LiveInstance,
  type LiveInstanceAlarm,
  type LiveRegistrations,
  type LiveRegistryEntry,
  type LiveTargetGroup,
  type RegistryListing,
  scopeKey,
} from '../../../src/model.ts';
import { indexInstances } from '../../../src/observe/instances.ts';
import { desiredFrom, NOW, REGION } from '../plan/fixtures.ts';

export { desiredFrom, NOW, REGION };

export const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/web/0123456789abcdef`;

/** `i-00000000000000a1`-style ids: well formed, easy to read. */
export function iid(n: number): string {
  return `i-${n.toString(16).padStart(17, '0')}`;
}

export function minutesAgo(minutes: number): Date {
  return new Date(NOW.getTime() - minutes * 60_000);
}

/** `User initiated (2030-06-01 11:50:00 GMT)`, as AWS writes it. */
export function transition(at: Date): string {
  return `User initiated (${at.toISOString().slice(0, 19).replace('T', ' ')} GMT)`;
}

export function running(id: string, launchedMinutesAgo = 600, privateIp?: string): LiveInstance {
  return {
    id,
    state: 'running',
    launchTime: minutesAgo(launchedMinutesAgo).toISOString(),
    ...(privateIp === undefined ? {} : { privateIp }),
  };
}

export function terminated(id: string, minutes?: number): LiveInstance {
  return {
    id,
    state: 'terminated',
    launchTime: minutesAgo(6000).toISOString(),
    ...(minutes === undefined ? {} : { stateTransitionReason: transition(minutesAgo(minutes)) }),
  };
}

/** A live group with these members (id → lifecycle) and, optionally, target groups attached to it. */
export function groupWith(
  name: string,
  members: Record<string, string>,
  attached: readonly string[] = [],
): LiveGroup {
  return {
    name,
    arn: `arn:aws:autoscaling:${REGION}:123456789012:autoScalingGroup:uuid:autoScalingGroupName/${name}`,
    min: 0,
    max: 10,
    desired: Object.keys(members).length,
    availabilityZones: ['us-east-1a'],
    subnets: [],
    targetGroupArns: attached,
    loadBalancerNames: [],
    healthCheckType: 'EC2',
    healthCheckGrace: 0,
    tags: {},
    instances: Object.entries(members).map(([id, lifecycleState]) => ({
      id,
      lifecycleState,
      healthStatus: 'Healthy',
      availabilityZone: 'us-east-1a',
    })),
  };
}

export function targetGroup(
  targets: string[],
  options: { type?: 'instance' | 'ip'; port?: number } = {},
): LiveTargetGroup {
  const port = options.port ?? 80;
  return {
    arn: TG_ARN,
    name: 'web',
    targetType: options.type ?? 'instance',
    port,
    targets: targets.map((id) => ({ id, port, health: 'healthy' })),
  };
}

export interface RegistrationsInit {
  /** EC2's instances; ids listed in `unknownIds` were looked up and not found. */
  instances?: LiveInstance[] | Known<never>;
  unknownIds?: string[];
  ips?: string[];
  targetGroups?: Record<string, Known<LiveTargetGroup | null> | LiveTargetGroup | null>;
  containerInstances?: Record<
    string,
    Known<readonly LiveContainerInstance[] | null> | LiveContainerInstance[]
  >;
  instanceAlarms?: Record<string, Known<readonly LiveInstanceAlarm[]> | LiveInstanceAlarm[]>;
  registries?: Record<string, RegistryListing | LiveRegistryEntry[]>;
}

export interface LiveInit extends RegistrationsInit {
  groups?: Record<string, LiveGroup | null | Known<LiveGroup | null>>;
}

const asKnown = <T>(v: T | Known<T>): Known<T> =>
  v !== null && typeof v === 'object' && 'known' in (v as object) ? (v as Known<T>) : known(v as T);

export function liveWith(init: LiveInit): Live {
  const scope = { region: REGION };
  const list = Array.isArray(init.instances) ? init.instances : [];
  const instances =
    init.instances !== undefined && !Array.isArray(init.instances)
      ? init.instances
      : known(indexInstances(list, [...list.map((i) => i.id), ...(init.unknownIds ?? [])], init.ips ?? []));
  const registrations: LiveRegistrations = {
    instances,
    targetGroups: new Map(
      Object.entries(init.targetGroups ?? {}).map(([arn, tg]) => [arn, asKnown<LiveTargetGroup | null>(tg)]),
    ),
    containerInstances: new Map(
      Object.entries(init.containerInstances ?? {}).map(([c, v]) => [
        c,
        asKnown<readonly LiveContainerInstance[] | null>(v),
      ]),
    ),
    instanceAlarms: new Map(
      Object.entries(init.instanceAlarms ?? {}).map(([p, v]) => [
        p,
        asKnown<readonly LiveInstanceAlarm[]>(v),
      ]),
    ),
    registries: new Map(
      Object.entries(init.registries ?? {}).map(([a, v]): [string, RegistryListing] => [
        a,
        Array.isArray(v) ? known(v) : v,
      ]),
    ),
  };
  return {
    scopes: new Map([
      [
        scopeKey(scope),
        {
          scope,
          groups: new Map(
            Object.entries(init.groups ?? {}).map(([name, g]) => [name, asKnown<LiveGroup | null>(g)]),
          ),
          policies: known([]),
          alarms: known([]),
          scheduledActions: known([]),
          registrations,
        },
      ],
    ]),
  };
}

export function desired(yaml: string, path?: string): Desired {
  return desiredFrom(yaml, path);
}
