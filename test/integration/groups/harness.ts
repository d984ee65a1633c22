/** Runs the real pipeline (config files on disk → moto) for the groups integration tests. */

import {
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import type { Change, Plan } from '../../../src/model.ts';
import type { MotoHandle } from '../../support/moto.ts';
import { type PipelineHarness, usePipeline } from '../../support/pipeline.ts';

export const NOW = new Date('2030-06-01T12:00:00Z');

export type Harness = PipelineHarness;

/** Each run writes its YAML as web.yml in a fresh config folder; the clock is {@link NOW}. */
export function useHarness(moto: MotoHandle): Harness {
  return usePipeline(moto, { file: 'web.yml', now: () => NOW });
}

export function actions(plan: Plan): string[][] {
  return plan.changes.map((c: Change) => [c.type, c.action, c.id]);
}

export async function policiesOf(moto: MotoHandle, group: string) {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: group }));
  return out.ScalingPolicies ?? [];
}

export async function schedulesOf(moto: MotoHandle, group: string) {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: group }));
  return out.ScheduledUpdateGroupActions ?? [];
}

export async function ownedAlarms(moto: MotoHandle) {
  const out = await moto.clients().cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'gitops-' }));
  return out.MetricAlarms ?? [];
}

export async function alarmTags(moto: MotoHandle, arn: string) {
  const out = await moto.clients().cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
  return out.Tags ?? [];
}

export async function putManualPolicy(moto: MotoHandle, group: string, name: string): Promise<void> {
  await moto.clients().autoscaling.send(
    new PutScalingPolicyCommand({
      AutoScalingGroupName: group,
      PolicyName: name,
      PolicyType: 'SimpleScaling',
      AdjustmentType: 'ChangeInCapacity',
      ScalingAdjustment: 2,
    }),
  );
}
