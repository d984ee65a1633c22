/** Builders for planner tests: Desired from YAML text (through the real normaliser), Live by hand. */
import { parseSource } from '../../../src/config/load.ts';
import type { ClusterFile } from '../../../src/config/types.ts';
import { buildDesired } from '../../../src/desired/index.ts';
import {
  type Desired,
  type Known,
  known,
  type Live,
  type LiveAlarm,
  type LiveGroup,
  type LivePolicy,
  type LiveScheduledAction,
  scopeKey,
} from '../../../src/model.ts';

export const REGION = 'us-east-1';
export const NOW = new Date('2030-06-01T12:00:00Z');
const ACCOUNT = '123456789012';

export function desiredFrom(yaml: string, path = 'clusters/web.yml'): Desired {
  const { file, diagnostics } = parseSource(yaml, path);
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const result = buildDesired([{ file, config: file.data as ClusterFile, cluster: file.stem }], {
    region: REGION,
  });
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.desired;
}

export function group(name: string, sizes: { min: number; max: number; desired: number }): LiveGroup {
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
    instances: [],
  };
}

export function policyArn(groupName: string, name: string): string {
  return `arn:aws:autoscaling:${REGION}:${ACCOUNT}:scalingPolicy:uuid:autoScalingGroupName/${groupName}:policyName/${name}`;
}

/** A step policy as this tool writes it: one step past the threshold (above for a positive adjustment). */
export function stepPolicy(
  groupName: string,
  name: string,
  adjustment: number,
  type = 'ChangeInCapacity',
): LivePolicy {
  return {
    group: groupName,
    name,
    arn: policyArn(groupName, name),
    type: 'StepScaling',
    adjustmentType: type,
    steps: [adjustment >= 0 ? { lower: 0, adjustment } : { upper: 0, adjustment }],
  };
}

/** A policy made by hand, not by this tool. */
export function simplePolicy(groupName: string, name: string, adjustment: number): LivePolicy {
  return {
    group: groupName,
    name,
    arn: policyArn(groupName, name),
    type: 'SimpleScaling',
    adjustmentType: 'ChangeInCapacity',
    scalingAdjustment: adjustment,
  };
}

export function alarm(
  name: string,
  fields: Partial<LiveAlarm> & { group: string; policy?: string; threshold: number; upper: boolean },
): LiveAlarm {
  const { group: groupName, policy, upper, ...rest } = fields;
  return {
    name,
    arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`,
    metric: 'CPUUtilization',
    namespace: 'AWS/EC2',
    statistic: 'Average',
    dimensions: { AutoScalingGroupName: groupName },
    period: 60,
    evaluationPeriods: 6,
    comparison: upper ? 'GreaterThanOrEqualToThreshold' : 'LessThanOrEqualToThreshold',
    actions: [policyArn(groupName, policy ?? name)],
    ...rest,
  };
}

export interface LiveInit {
  groups?: Record<string, LiveGroup | null | Known<LiveGroup | null>>;
  policies?: LivePolicy[] | Known<readonly LivePolicy[]>;
  alarms?: LiveAlarm[] | Known<readonly LiveAlarm[]>;
  schedules?: LiveScheduledAction[] | Known<readonly LiveScheduledAction[]>;
}

export function liveOf(init: LiveInit): Live {
  const scope = { region: REGION };
  const asKnown = <T>(v: T | Known<T>): Known<T> =>
    v !== null && typeof v === 'object' && 'known' in v ? (v as Known<T>) : known(v as T);
  const groups = new Map(
    Object.entries(init.groups ?? {}).map(([name, g]) => [name, asKnown<LiveGroup | null>(g)]),
  );
  return {
    scopes: new Map([
      [
        scopeKey(scope),
        {
          scope,
          groups,
          policies: asKnown<readonly LivePolicy[]>(init.policies ?? []),
          alarms: asKnown<readonly LiveAlarm[]>(init.alarms ?? []),
          scheduledActions: asKnown<readonly LiveScheduledAction[]>(init.schedules ?? []),
        },
      ],
    ]),
  };
}
