/**
 * Triggers → scaling policies and alarms. A threshold side is a one-step StepScaling policy plus
 * the alarm that runs it; target tracking is one TargetTrackingScaling policy (AWS makes its alarms).
 * Owned objects the YAML no longer wants are deleted, alarms before the policies they run.
 */
import {
  type DesiredGroup,
  type LiveAlarm,
  type LivePolicy,
  OWNED_PREFIX,
  type PolicyArnRef,
} from '../../model.ts';
import { defined, diffFields } from '../fields.ts';
import { describeDiff } from '../format.ts';
import { makeChange, message, type PlanSink } from '../sink.ts';
import { alarmFields, liveAlarmFields, livePolicyFields, policyFields } from './display.ts';
import { isOwnedName } from './names.ts';
import type { OwnedObjects, WantedAlarm, WantedPolicy } from './owned.ts';

export interface TriggerInputs {
  readonly group: DesiredGroup;
  /** Address of the group's creation in this plan, when it is being created. */
  readonly creating: string | undefined;
  readonly owned: OwnedObjects;
  /** The group's policies (owned or not). */
  readonly policies: readonly LivePolicy[];
  /** Owned alarms that belong to the group. */
  readonly alarms: readonly LiveAlarm[];
}

export function policyAddress(group: DesiredGroup, name: string): string {
  return `${group.address}/policies/${name}`;
}

export function alarmAddress(group: DesiredGroup, name: string): string {
  return `${group.address}/alarms/${name}`;
}

export function planTriggers(inputs: TriggerInputs, sink: PlanSink): void {
  const { owned } = inputs;
  const livePolicies = new Map(inputs.policies.map((p) => [p.name, p]));
  const liveAlarms = new Map(inputs.alarms.map((a) => [a.name, a]));
  const refs = new Map<string, PolicyArnRef>();
  for (const wanted of owned.policies) {
    refs.set(wanted.name, planPolicy(inputs, wanted, livePolicies.get(wanted.name), sink));
  }
  for (const wanted of owned.alarms) {
    planAlarm(inputs, wanted, refs.get(wanted.policy), liveAlarms.get(wanted.name), sink);
  }
  planDeletes(inputs, sink);
}

/** Owned policies and alarms no trigger wants any more; unowned policies are only reported. */
function planDeletes(inputs: TriggerInputs, sink: PlanSink): void {
  const { group, owned } = inputs;
  const wantedAlarms = new Set(owned.alarms.map((a) => a.name));
  const alarmDeletes = inputs.alarms.filter((a) => !wantedAlarms.has(a.name));
  for (const alarm of alarmDeletes) {
    sink.changes.push(
      makeChange({
        address: alarmAddress(group, alarm.name),
        type: 'metric_alarm',
        action: 'delete',
        id: alarm.name,
        origin: group.origin,
        before: defined(liveAlarmFields(alarm)),
        after: null,
        reason: `alarm ${alarm.name} is owned (${OWNED_PREFIX} prefix) and no trigger of ${group.name} wants it`,
        scope: group.scope,
        operation: { kind: 'delete_alarm', name: alarm.name },
      }),
    );
  }
  const wantedPolicies = new Set(owned.policies.map((p) => p.name));
  for (const policy of inputs.policies) {
    if (wantedPolicies.has(policy.name)) continue;
    if (!isOwnedName(policy.name)) {
      sink.warnings.push(
        message(`group ${group.name} also has scaling policy ${policy.name}, not managed here (left as is)`, {
          address: group.address,
          origin: group.origin,
        }),
      );
      continue;
    }
    sink.changes.push(
      makeChange({
        address: policyAddress(group, policy.name),
        type: 'scaling_policy',
        action: 'delete',
        id: policy.name,
        origin: group.origin,
        before: defined(livePolicyFields(policy)),
        after: null,
        reason: `policy ${policy.name} is owned (${OWNED_PREFIX} prefix) and no trigger of ${group.name} wants it`,
        scope: group.scope,
        // An alarm must not be left running a deleted policy: it goes first.
        dependsOn: alarmDeletes
          .filter((a) => a.actions.includes(policy.arn))
          .map((a) => alarmAddress(group, a.name)),
        operation: { kind: 'delete_policy', group: group.name, name: policy.name },
      }),
    );
  }
}

function planPolicy(
  inputs: TriggerInputs,
  wanted: WantedPolicy,
  live: LivePolicy | undefined,
  sink: PlanSink,
): PolicyArnRef {
  const { group } = inputs;
  const address = policyAddress(group, wanted.name);
  const after = policyFields(wanted.spec);
  const operation = {
    kind: 'put_policy',
    group: group.name,
    name: wanted.name,
    policy: wanted.spec,
  } as const;
  if (live === undefined) {
    sink.changes.push(
      makeChange({
        address,
        type: 'scaling_policy',
        action: 'create',
        id: wanted.name,
        origin: wanted.origin,
        before: null,
        after: defined(after),
        reason: `${wanted.label} of ${group.name} has no policy yet`,
        scope: group.scope,
        dependsOn: [inputs.creating],
        operation,
      }),
    );
    return { createdBy: address };
  }
  const diff = diffFields(livePolicyFields(live), after);
  if (diff !== null) {
    sink.changes.push(
      makeChange({
        address,
        type: 'scaling_policy',
        action: 'update',
        id: wanted.name,
        origin: wanted.origin,
        before: diff.before,
        after: diff.after,
        reason: `${wanted.label}: ${describeDiff(diff.before, diff.after)}`,
        scope: group.scope,
        operation,
      }),
    );
  }
  // PutScalingPolicy keeps an existing policy's ARN, so its alarm can point at it now.
  return { arn: live.arn };
}

function planAlarm(
  inputs: TriggerInputs,
  wanted: WantedAlarm,
  ref: PolicyArnRef | undefined,
  live: LiveAlarm | undefined,
  sink: PlanSink,
): void {
  const { group } = inputs;
  if (ref === undefined)
    throw new Error(`alarm ${wanted.name} runs policy ${wanted.policy}, which is not planned`);
  const shownActions = ['arn' in ref ? ref.arn : `(ARN of ${wanted.policy}, once created)`];
  const after = alarmFields(wanted.spec, shownActions);
  const operation = { kind: 'put_alarm', name: wanted.name, alarm: wanted.spec, actions: [ref] } as const;
  const dependsOn = ['createdBy' in ref ? ref.createdBy : undefined, inputs.creating];
  if (live === undefined) {
    sink.changes.push(
      makeChange({
        address: alarmAddress(group, wanted.name),
        type: 'metric_alarm',
        action: 'create',
        id: wanted.name,
        origin: wanted.origin,
        before: null,
        after: defined(after),
        reason: `${wanted.label} of ${group.name} has no alarm yet`,
        scope: group.scope,
        dependsOn,
        operation,
      }),
    );
    return;
  }
  const diff = diffFields(liveAlarmFields(live), after);
  if (diff === null) return;
  sink.changes.push(
    makeChange({
      address: alarmAddress(group, wanted.name),
      type: 'metric_alarm',
      action: 'update',
      id: wanted.name,
      origin: wanted.origin,
      before: diff.before,
      after: diff.after,
      reason: `${wanted.label}: ${describeDiff(diff.before, diff.after)}`,
      scope: group.scope,
      dependsOn,
      operation,
    }),
  );
}
