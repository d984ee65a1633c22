/** Runs the real pipeline (a config folder on disk → moto) for the prune integration tests. */

import { DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeContainerInstancesCommand, ListContainerInstancesCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Change, Plan } from '../../../src/model.ts';
import type { MotoHandle } from '../../support/moto.ts';
import { type PipelineHarness, usePipeline } from '../../support/pipeline.ts';
import { runInstances } from '../../support/seed.ts';

export type { RunOptions } from '../../support/pipeline.ts';
export type Harness = PipelineHarness;

export const DAY_MS = 86_400_000;

/** Each run writes web.yml; the clock is a day from now (every moto time is past any grace). */
export function useHarness(moto: MotoHandle): Harness {
  return usePipeline(moto, { file: 'web.yml', now: () => new Date(Date.now() + DAY_MS) });
}

/** `[type, action, id]` of every change, sorted. */
export function actions(plan: Plan): string[][] {
  return plan.changes.map((c: Change) => [c.type, c.action, c.id]).sort();
}

export function warningsText(plan: Plan): string {
  return plan.warnings.map((w) => `${w.address ?? ''}: ${w.message}`).join('\n');
}

/** Plain instances (outside any group), `count` of them, the first `gone` of them terminated. */
export async function instances(moto: MotoHandle, count: number, gone = 0): Promise<string[]> {
  const clients = moto.clients();
  const ids = (await runInstances(clients, count)).map((i) => i.InstanceId ?? '');
  if (gone > 0) await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids.slice(0, gone) }));
  return ids;
}

export async function targetsOf(moto: MotoHandle, arn: string): Promise<string[]> {
  const out = await moto.clients().elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
  return (out.TargetHealthDescriptions ?? []).map((d) => `${d.Target?.Id}:${d.Target?.Port}`).sort();
}

export async function containerInstancesOf(moto: MotoHandle, cluster: string): Promise<string[]> {
  const clients = moto.clients();
  const list = await clients.ecs.send(new ListContainerInstancesCommand({ cluster }));
  if ((list.containerInstanceArns ?? []).length === 0) return [];
  const out = await clients.ecs.send(
    new DescribeContainerInstancesCommand({ cluster, containerInstances: list.containerInstanceArns }),
  );
  return (out.containerInstances ?? []).map((c) => c.ec2InstanceId ?? '').sort();
}

export async function putInstanceAlarm(moto: MotoHandle, name: string, instanceId: string): Promise<void> {
  await moto.clients().cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/EC2',
      Statistic: 'Average',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 90,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
    }),
  );
}

export async function alarmNames(moto: MotoHandle): Promise<string[]> {
  const out = await moto.clients().cloudwatch.send(new DescribeAlarmsCommand({}));
  return (out.MetricAlarms ?? []).map((a) => a.AlarmName ?? '').sort();
}
