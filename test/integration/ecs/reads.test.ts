/**
 * Reads driven by need (issue 14) against moto: task definitions are read only for the services
 * whose tasks wait for room, and the plan is the one reading every task definition gives; sizes
 * kept in a --cache-dir are not read again, and a broken cache file is ignored with a warning.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../src/aws/clients.ts';
import { runCommand } from '../../../src/cli/commands.ts';
import type { AwsScope } from '../../../src/model.ts';
import { observe } from '../../../src/observe/index.ts';
import { CACHE_FILE, parseCache } from '../../../src/observe/task-size-cache.ts';
import { runPlan } from '../../../src/pipeline.ts';
import { plan as makePlan } from '../../../src/plan/index.ts';
import { TEST_CREDENTIALS, useMoto } from '../../support/moto.ts';
import { planned } from '../../support/pipeline.ts';
import {
  createEcsCluster,
  createEcsService,
  createGroup,
  groupInstanceIds,
  putMetricData,
  registerContainerInstance,
} from '../../support/seed.ts';
import { CLUSTER, lastCompletePeriod, NOW, useHarness } from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'task-sizes-'));
  dirs.push(dir);
  return dir;
}

/** Three services on one instance: `worker` scales out (+3 tasks waiting), the others hold. */
const YAML = `autoscale_group: ecs-asg
min: 1
max: 5
services:
  worker:
    min: 1
    max: 4
    metric_sources:
      cloudwatch:
        - { namespace: Custom/Queues, metric_name: Ready, period: 60, statistics: [ { name: Maximum, alias: queue } ] }
    events:
      - { metric: queue, action: 3, min: 5, max: null }
  api:
    min: 1
    max: 4
    metric_sources:
      cloudwatch:
        - { namespace: Custom/Queues, metric_name: Idle, period: 60, statistics: [ { name: Maximum, alias: idle } ] }
    events:
      - { metric: idle, action: 1, min: 5, max: null }
  batch:
    min: 1
    max: 4
    metric_sources:
      cloudwatch:
        - { namespace: Custom/Queues, metric_name: Idle, period: 60, statistics: [ { name: Maximum, alias: idle } ] }
    events:
      - { metric: idle, action: 1, min: 5, max: null }
`;

/** `now`: the clock of the run that reads the metrics (the CLI's is the real one). */
async function seed(now: Date = NOW): Promise<void> {
  const clients = moto.clients();
  await createEcsCluster(clients, CLUSTER);
  const group = await createGroup(clients, 'ecs-asg', { min: 1, max: 5, desired: 1 });
  for (const id of groupInstanceIds(group)) await registerContainerInstance(clients, CLUSTER, id);
  await createEcsService(clients, CLUSTER, 'worker', { desired: 1, cpu: 3000, memory: 1024 });
  await createEcsService(clients, CLUSTER, 'api', { desired: 2, cpu: 512, memory: 512 });
  await createEcsService(clients, CLUSTER, 'batch', { desired: 1, cpu: 1024, memory: 2048 });
  const at = lastCompletePeriod(60, now);
  await putMetricData(clients, 'Custom/Queues', 'Ready', [{ value: 50, timestamp: at }]);
  await putMetricData(clients, 'Custom/Queues', 'Idle', [{ value: 0, timestamp: at }]);
}

describe('task definitions read by need', () => {
  it('reads only the waiting service\u2019s task definition and plans what reading them all plans', async () => {
    await seed();
    const needed = await run.plan(YAML);
    expect(needed.plan.errors).toEqual([]);
    expect(needed.counter.count('ECS', 'DescribeTaskDefinition')).toBe(1);
    // The capacity plan used the size it read: three 3000-CPU tasks, two more instances.
    const capacity = needed.plan.decisions?.find((d) => d.kind === 'ecs_capacity');
    expect(capacity?.reason).toContain('waiting tasks 3 worker (3000 CPU');
    expect(capacity?.after).toBe(3);

    // Without the question: every service's task definition read, the same plan.
    const pool = new ClientPool({ credentials: TEST_CREDENTIALS });
    try {
      const desired = needed.desired;
      if (desired === null) throw new Error('no desired state');
      const clientsFor = (scope: AwsScope) => pool.get({ region: scope.region, endpoint: moto.endpoint });
      const live = await observe(desired, clientsFor, { now: NOW });
      expect(pool.counter.count('ECS', 'DescribeTaskDefinition')).toBe(3);
      expect(makePlan(desired, live, NOW)).toEqual(needed.plan);
    } finally {
      pool.destroy();
    }
  });

  it('reads none when no task waits for room', async () => {
    await seed();
    const calm = await run.plan(YAML.replace('min: 5, max: null }\n  api', 'min: 500, max: null }\n  api'));
    expect(calm.plan.errors).toEqual([]);
    expect(calm.counter.count('ECS', 'DescribeTaskDefinition')).toBe(0);
    expect(calm.plan.decisions?.find((d) => d.kind === 'ecs_capacity')?.reason).toContain(
      'no task waits for room',
    );
  });
});

describe('task size cache (--cache-dir)', () => {
  it('reads no task definition on a second run, and plans the same', async () => {
    await seed();
    const cacheDir = await tempDir();
    const first = planned(await runPlan({ ...(await run.options(YAML)), cacheDir }));
    expect(first.counter.count('ECS', 'DescribeTaskDefinition')).toBe(1);
    const kept = parseCache(await readFile(join(cacheDir, CACHE_FILE), 'utf8'));
    expect([...kept.values()]).toEqual([{ cpu: 3000, memory: 1024, source: 'containers' }]);

    const second = planned(await runPlan({ ...(await run.options(YAML)), cacheDir }));
    expect(second.counter.count('ECS', 'DescribeTaskDefinition')).toBe(0);
    expect(second.plan).toEqual(first.plan);
    expect(second.plan.warnings).toEqual([]);
  });

  it('is kept where the CLI\u2019s --cache-dir says', async () => {
    await seed(new Date());
    const cacheDir = await tempDir();
    const configDir = await tempDir();
    await writeFile(join(configDir, `${CLUSTER}.yml`), YAML);
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    let err = '';
    try {
      const code = await runCommand(
        ['plan', '--config', configDir, '--region', 'us-east-1', '--cache-dir', cacheDir],
        {
          stdout: () => {},
          stderr: (text) => {
            err += text;
          },
          isInteractive: false,
          env: {},
        },
      );
      expect({ code, err }).toEqual({ code: 0, err: '' });
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
    expect([...parseCache(await readFile(join(cacheDir, CACHE_FILE), 'utf8')).keys()]).toEqual([
      expect.stringMatching(/:task-definition\/worker:1$/),
    ]);
  });

  it('ignores a corrupt cache file with a warning, reads from ECS and rewrites the file', async () => {
    await seed();
    const cacheDir = await tempDir();
    await writeFile(
      join(cacheDir, CACHE_FILE),
      '{"format": "autoscale-gitops task sizes", "version": 1, "si',
    );
    const uncached = await run.plan(YAML);
    const broken = planned(await runPlan({ ...(await run.options(YAML)), cacheDir }));
    expect(broken.counter.count('ECS', 'DescribeTaskDefinition')).toBe(1);
    expect(broken.plan.warnings.map((w) => w.message)).toEqual([
      `task size cache ${join(cacheDir, CACHE_FILE)} ignored (not JSON); it is rewritten after this run`,
    ]);
    expect({ ...broken.plan, warnings: [] }).toEqual({ ...uncached.plan, warnings: [] });
    expect(parseCache(await readFile(join(cacheDir, CACHE_FILE), 'utf8')).size).toBe(1);
  });
});
