import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../src/aws/clients.ts';
import { runPlan } from '../../../src/pipeline.ts';
import { startAwsProxy } from '../../support/aws-proxy.ts';
import { TEST_CREDENTIALS, TEST_REGION, useMoto } from '../../support/moto.ts';
import { createGroup } from '../../support/seed.ts';
import { NOW, useHarness } from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A proxy to moto that refuses the given Auto Scaling operations with AWS's AccessDenied. */
async function refusingProxy(refused: readonly string[]): Promise<string> {
  const proxy = await startAwsProxy({ target: moto.endpoint, deny: refused });
  cleanups.push(() => proxy.close());
  return proxy.endpoint;
}

async function planThrough(endpoint: string, yaml: string) {
  const dir = await mkdtemp(join(tmpdir(), 'groups-unknown-'));
  const pool = new ClientPool({ credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  cleanups.push(async () => {
    pool.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  await writeFile(join(dir, 'web.yml'), yaml);
  const result = await runPlan({
    configDir: dir,
    cwd: dir,
    region: TEST_REGION,
    env: {},
    endpoint,
    now: NOW,
    pool,
  });
  if (result.plan === null) throw new Error('config rejected');
  return result.plan;
}

const TRIGGERED = `groups:
  web-asg:
    min: 1
    max: 4
    triggers:
      cpu: { metric: CPUUtilization, upper: { threshold: 80, adjust: 1 } }
    schedules:
      nightly: { recurrence: "0 22 * * *", max: 2 }
`;

describe('reads that fail', () => {
  it('policies unknown: no trigger change at all (not even the deletes), sizes and schedules still planned', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 1 });
    await run.apply(TRIGGERED);
    const endpoint = await refusingProxy(['DescribePolicies']);

    // The YAML drops the trigger and the schedule and raises max.
    const plan = await planThrough(endpoint, 'groups:\n  web-asg:\n    min: 1\n    max: 5\n');
    expect(plan.changes.map((c) => [c.type, c.action, c.id])).toEqual([
      ['autoscaling_group', 'update', 'web-asg'],
      ['scheduled_action', 'delete', 'gitops-web-asg-nightly'],
    ]);
    expect(plan.errors.map((e) => e.message)).toEqual([
      'scaling policies in us-east-1 could not be read (AccessDenied: User is not authorized to perform: DescribePolicies); no trigger there is planned',
    ]);
  });

  it('the group unknown: nothing of it is planned', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 1 });
    const endpoint = await refusingProxy(['DescribeAutoScalingGroups']);
    const plan = await planThrough(endpoint, TRIGGERED.replace('max: 4', 'max: 6'));
    expect(plan.changes).toEqual([]);
    expect(plan.errors.map((e) => e.message)).toEqual([
      'group web-asg could not be read (AccessDenied: User is not authorized to perform: DescribeAutoScalingGroups); not planned',
    ]);
  });
});
