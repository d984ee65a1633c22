/**
 * Reads paced to AWS's rates (src/aws/pacing.ts) against the proxy's AWS rate model
 * (test/support/aws-proxy.ts): a whole plan of a small fleet (groups with triggers and
 * schedules, an ECS cluster with services and capacity, metrics, target groups, prune) behind
 * buckets small enough for that fleet to exceed, on moto. Paced, the plan meets no throttling
 * and is the plan made without any rate limit; unpaced, the same plan provokes throttling (the
 * model bites, so the paced run's 0 means something).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  driftFleet,
  type FleetSize,
  putServiceMetrics,
  seedFleet,
  writeFleetConfig,
} from '../../../bench/lib/fleet.ts';
import { ClientPool } from '../../../src/aws/clients.ts';
import { Pacer } from '../../../src/aws/pacing.ts';
import { RATE_BUCKETS, type Rate } from '../../../src/aws/rates.ts';
import type { Plan } from '../../../src/model.ts';
import { runApply, runPlan } from '../../../src/pipeline.ts';
import { type AwsProxy, startAwsProxy } from '../../support/aws-proxy.ts';
import { TEST_CREDENTIALS, TEST_REGION, useMoto } from '../../support/moto.ts';
import { planned } from '../../support/pipeline.ts';

const moto = useMoto();

const SIZE: FleetSize = {
  groups: 8,
  instances: 8,
  clusters: 1,
  services: 4,
  queries: 4,
  targetGroups: 2,
  capacityInstances: 1,
};

/** Every bucket of AWS's table shrunk to 2 tokens, refilled at 10 a second. */
const SMALL: Record<string, Rate> = Object.fromEntries(
  RATE_BUCKETS.map((b) => [b.name, { burst: 2, perSecond: 10 }]),
);

let dir = '';
let now = new Date();
const pools: ClientPool[] = [];
let proxy: AwsProxy | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rate-model-'));
  proxy = await startAwsProxy({ target: moto.endpoint, rateModel: { rates: SMALL } });
});

afterAll(async () => {
  for (const p of pools.splice(0)) p.destroy();
  await proxy?.close();
  await rm(dir, { recursive: true, force: true });
});

function pool(pacer?: Pacer): ClientPool {
  const made = new ClientPool({ credentials: TEST_CREDENTIALS, ...(pacer === undefined ? {} : { pacer }) });
  pools.push(made);
  return made;
}

const configDir = () => join(dir, 'clusters');

/** The fleet in moto (moto is reset before each test), its YAML applied once, then drifted. */
async function seed(): Promise<void> {
  const seeder = moto.clients();
  const fleet = await seedFleet(seeder, SIZE);
  await writeFleetConfig(configDir(), fleet);
  const applied = planned(
    await runApply({
      configDir: configDir(),
      cwd: configDir(),
      region: TEST_REGION,
      env: {},
      endpoint: moto.endpoint,
      pool: pool(),
    }),
  );
  expect(applied.report?.failed).toBe(0);
  await driftFleet(seeder, fleet);
  now = new Date();
  await putServiceMetrics(seeder, fleet, now);
}

async function plan(endpoint: string, clients: ClientPool) {
  return planned(
    await runPlan({
      configDir: configDir(),
      cwd: configDir(),
      region: TEST_REGION,
      env: {},
      endpoint,
      now,
      pool: clients,
    }),
  );
}

/** What a plan says. */
function essence(p: Plan) {
  return {
    summary: p.summary,
    changes: p.changes.map((c) => [c.type, c.action, c.id, c.before, c.after]),
    errors: p.errors.map((e) => e.message),
    warnings: p.warnings.map((w) => w.message),
  };
}

function running(): AwsProxy {
  if (proxy === undefined) throw new Error('the proxy is not running');
  return proxy;
}

describe('reads paced to AWS rates, against the rate model', () => {
  it('meet no throttling and make the plan made without rate limits; unpaced, the plan is throttled', async () => {
    await seed();
    const clean = await plan(moto.endpoint, pool());
    expect(clean.plan.changes.length).toBeGreaterThan(0);
    expect(clean.plan.errors).toEqual([]);

    const p = running();
    p.resetStats();
    const pacer = new Pacer({ rates: SMALL });
    const paced = await plan(p.endpoint, pool(pacer));
    expect(p.stats().totalThrottled).toBe(0);
    expect(paced.counter.attempts).toBe(paced.counter.total());
    expect(essence(paced.plan)).toEqual(essence(clean.plan));
    // The buckets were small enough to matter: the pacer made requests wait.
    expect(pacer.stats().waitedMs).toBeGreaterThan(0);

    // The same plan unpaced: the model refuses what exceeds its buckets, as AWS would, and the
    // SDK reads each refusal as throttling and retries it.
    p.resetStats();
    const unpaced = await plan(p.endpoint, pool());
    expect(p.stats().totalThrottled).toBeGreaterThan(0);
    expect(unpaced.counter.attempts).toBeGreaterThan(unpaced.counter.total());
  }, 300_000);
});
