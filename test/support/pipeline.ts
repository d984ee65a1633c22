/**
 * Runs the real pipeline for integration tests: each run writes its YAML to a fresh config folder,
 * gets its own client pool (so per-run call counts are exact), and talks to moto (or a proxy in
 * front of it). Folders and pools are cleaned up after each test.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ClientPool } from '../../src/aws/clients.ts';
import type { Plan } from '../../src/model.ts';
import { type ApplyRun, type PipelineOptions, type PlanRun, runApply, runPlan } from '../../src/pipeline.ts';
import { type MotoHandle, TEST_CREDENTIALS, TEST_REGION } from './moto.ts';

export interface RunOptions {
  /** The run's clock (planners and metric windows); default the harness's. */
  readonly now?: Date;
  /** `${VAR}` values for the YAML. */
  readonly env?: Record<string, string>;
  /** Another endpoint (a fault proxy in front of moto). */
  readonly endpoint?: string;
  /** SDK attempts per call; default the factory's. */
  readonly maxAttempts?: number;
}

export interface PipelineHarness {
  plan(yaml: string, options?: RunOptions): Promise<PlanRun & { plan: Plan }>;
  apply(yaml: string, options?: RunOptions): Promise<ApplyRun & { plan: Plan }>;
  /** The options runPlan/runApply get (fresh folder and pool), for runs started by hand. */
  options(yaml: string, options?: RunOptions): Promise<PipelineOptions>;
}

export interface HarnessDefaults {
  /** The config file's name (its stem is the default ECS cluster name). */
  readonly file: string;
  /** The default clock of each run. */
  readonly now: () => Date;
}

export function usePipeline(moto: MotoHandle, defaults: HarnessDefaults): PipelineHarness {
  const dirs: string[] = [];
  const pools: ClientPool[] = [];
  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.destroy();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const options = async (yaml: string, run: RunOptions = {}): Promise<PipelineOptions> => {
    const root = await mkdtemp(join(tmpdir(), 'pipeline-it-'));
    dirs.push(root);
    await writeFile(join(root, defaults.file), yaml);
    const pool = new ClientPool({
      credentials: TEST_CREDENTIALS,
      ...(run.maxAttempts === undefined ? {} : { maxAttempts: run.maxAttempts }),
    });
    pools.push(pool);
    return {
      configDir: root,
      cwd: root,
      region: TEST_REGION,
      env: run.env ?? {},
      endpoint: run.endpoint ?? moto.endpoint,
      now: run.now ?? defaults.now(),
      pool,
    };
  };
  return {
    options,
    async plan(yaml, run) {
      return planned(await runPlan(await options(yaml, run)));
    },
    async apply(yaml, run) {
      return planned(await runApply(await options(yaml, run)));
    },
  };
}

/** The run, asserted to have a plan: a config error fails the test with its messages. */
export function planned<R extends PlanRun>(run: R): R & { plan: Plan } {
  if (run.plan === null) {
    throw new Error(run.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  }
  return run as R & { plan: Plan };
}
