/** Runs the real pipeline (config files on disk → moto) for the groups integration tests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach } from 'vitest';
import { ClientPool } from '../../../src/aws/clients.ts';
import type { Change, Plan } from '../../../src/model.ts';
import { type ApplyRun, type PlanRun, runApply, runPlan } from '../../../src/pipeline.ts';
import { type MotoHandle, TEST_CREDENTIALS, TEST_REGION } from '../../support/moto.ts';

export const NOW = new Date('2030-06-01T12:00:00Z');

export interface Harness {
  plan(yaml: string): Promise<PlanRun & { plan: Plan }>;
  apply(yaml: string): Promise<ApplyRun & { plan: Plan }>;
}

/** Writes each YAML to its own temp config folder (as clusters/web.yml) and runs the pipeline. */
export function useHarness(moto: MotoHandle): Harness {
  const dirs: string[] = [];
  const pools: ClientPool[] = [];
  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.destroy();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const options = async (yaml: string) => {
    const root = await mkdtemp(join(tmpdir(), 'groups-it-'));
    dirs.push(root);
    await writeFile(join(root, 'web.yml'), yaml);
    const pool = new ClientPool({ credentials: TEST_CREDENTIALS });
    pools.push(pool);
    return {
      configDir: root,
      cwd: root,
      region: TEST_REGION,
      env: {},
      endpoint: moto.endpoint,
      now: NOW,
      pool,
    };
  };
  return {
    async plan(yaml) {
      return planned(await runPlan(await options(yaml)));
    },
    async apply(yaml) {
      return planned(await runApply(await options(yaml)));
    },
  };
}

function planned<R extends PlanRun>(run: R): R & { plan: Plan } {
  if (run.plan === null)
    throw new Error(run.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  return run as R & { plan: Plan };
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
