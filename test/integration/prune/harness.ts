/** Runs the real pipeline (a config folder on disk → moto) for the prune integration tests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeContainerInstancesCommand, ListContainerInstancesCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach } from 'vitest';
import { ClientPool } from '../../../src/aws/clients.ts';
import type { Change, Plan } from '../../../src/model.ts';
import { type ApplyRun, type PlanRun, runApply, runPlan } from '../../../src/pipeline.ts';
import { type MotoHandle, TEST_CREDENTIALS, TEST_REGION } from '../../support/moto.ts';
import { runInstances } from '../../support/seed.ts';

export interface RunOptions {
  /** The planners' clock; default a day after now (every moto time is past any grace). */
  readonly now?: Date;
  /** `${VAR}` values for the YAML. */
  readonly env?: Record<string, string>;
  /** Another endpoint (a fault proxy in front of moto). */
  readonly endpoint?: string;
}

export interface Harness {
  plan(yaml: string, options?: RunOptions): Promise<PlanRun & { plan: Plan }>;
  apply(yaml: string, options?: RunOptions): Promise<ApplyRun & { plan: Plan }>;
}

export const DAY_MS = 86_400_000;

export function useHarness(moto: MotoHandle): Harness {
  const dirs: string[] = [];
  const pools: ClientPool[] = [];
  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.destroy();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const options = async (yaml: string, run: RunOptions = {}) => {
    const root = await mkdtemp(join(tmpdir(), 'prune-it-'));
    dirs.push(root);
    await writeFile(join(root, 'web.yml'), yaml);
    const pool = new ClientPool({ credentials: TEST_CREDENTIALS });
    pools.push(pool);
    return {
      configDir: root,
      cwd: root,
      region: TEST_REGION,
      env: run.env ?? {},
      endpoint: run.endpoint ?? moto.endpoint,
      now: run.now ?? new Date(Date.now() + DAY_MS),
      pool,
    };
  };
  return {
    async plan(yaml, run) {
      return planned(await runPlan(await options(yaml, run)));
    },
    async apply(yaml, run) {
      return planned(await runApply(await options(yaml, run)));
    },
  };
}

function planned<R extends PlanRun>(run: R): R & { plan: Plan } {
  if (run.plan === null)
    throw new Error(run.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  return run as R & { plan: Plan };
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
