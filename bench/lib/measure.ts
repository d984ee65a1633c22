/**
 * One plan, measured in a process of its own (so its memory is the plan's, not the seeding's):
 * `node bench/lib/measure.ts '<json MeasureInput>'` prints one JSON line, a {@link Measurement}.
 * {@link measurePlan} runs it from the bench.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';
import { ClientPool } from '../../src/aws/clients.ts';
import { Pacer, type PacingStats } from '../../src/aws/pacing.ts';
import { loadConfig } from '../../src/config/index.ts';
import { buildDesired } from '../../src/desired/index.ts';
import { observe } from '../../src/observe/index.ts';
import { type PipelineOptions, type PlanRun, runPlan } from '../../src/pipeline.ts';
import { taskDefinitionsToPlace } from '../../src/plan/ecs/room.ts';
import { plan as makePlan } from '../../src/plan/index.ts';
import { TEST_CREDENTIALS, TEST_REGION } from '../../test/support/moto-server.ts';
import { emulationFetches, withAwsPaging } from './paging.ts';

export interface MeasureInput {
  readonly configDir: string;
  readonly endpoint: string;
  /** ISO 8601: the planners' clock. */
  readonly now: string;
  /**
   * Run the pipeline's stages one by one (as runPlan does) and time each, instead of runPlan
   * itself: where the wall time goes.
   */
  readonly phases?: boolean;
  /**
   * Pace requests to AWS's rates as the product's own pools do (src/aws/pacing.ts). Default
   * true; false: every request as fast as the plan makes it (the plan's own work, or what an
   * unpaced client provokes from the rate model).
   */
  readonly pacing?: boolean;
}

/** Milliseconds per stage of the plan. */
export interface Phases {
  readonly loadConfig: number;
  readonly buildDesired: number;
  readonly observe: number;
  readonly plan: number;
}

export interface Measurement {
  readonly wallMs: number;
  /** Logical calls and HTTP attempts per `Service:Operation`. */
  readonly calls: Record<string, number>;
  readonly attempts: Record<string, number>;
  readonly summary: Record<string, number>;
  /** Changes per `type action`. */
  readonly changes: Record<string, number>;
  readonly errors: readonly string[];
  readonly warnings: number;
  /** A few distinct warnings, for the reader. */
  readonly warningSamples: readonly string[];
  /** CPU time of this process during the plan (user + system), ms: the rest of the wall time is waiting. */
  readonly cpuMs: number;
  /** Which parts of Live the plan read (a capability the pipeline has). */
  readonly live: {
    readonly groups: number;
    readonly ecsClusters: number;
    readonly metrics: number;
    readonly targetGroups: number;
    readonly registrations: boolean;
  };
  /** Bytes. */
  readonly peakRss: number;
  readonly peakHeapUsed: number;
  /** process.resourceUsage().maxRSS, bytes: the whole process, module loading included. */
  readonly maxRss: number;
  readonly rssBeforePlan: number;
  /** With `phases`: the time of each stage. */
  readonly phases?: Phases;
  /** HTTP requests the paging emulation made on its own (counted as attempts, not as calls). */
  readonly emulationFetches: number;
  /** With pacing: what the pacer made wait. */
  readonly pacing?: PacingStats;
}

async function child(input: MeasureInput): Promise<Measurement> {
  let peakRss = 0;
  let peakHeapUsed = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
  };
  const pacer = input.pacing === false ? undefined : new Pacer();
  const pool = new ClientPool({ credentials: TEST_CREDENTIALS, ...(pacer === undefined ? {} : { pacer }) });
  withAwsPaging(pool.get({ region: TEST_REGION, endpoint: input.endpoint }));
  sample();
  const rssBeforePlan = process.memoryUsage().rss;
  const timer = setInterval(sample, 10);
  const profiler = await startProfiler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const options = {
    configDir: input.configDir,
    cwd: input.configDir,
    region: TEST_REGION,
    env: {},
    endpoint: input.endpoint,
    now: new Date(input.now),
    pool,
  };
  let phases: Phases | undefined;
  let run: PlanRun;
  if (input.phases === true) {
    ({ run, phases } = await staged(options));
  } else {
    run = await runPlan(options);
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await profiler?.stop();
  clearInterval(timer);
  sample();
  pool.destroy();
  if (run.plan === null) {
    throw new Error(run.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  }
  const changes: Record<string, number> = {};
  for (const c of run.plan.changes)
    changes[`${c.type} ${c.action}`] = (changes[`${c.type} ${c.action}`] ?? 0) + 1;
  const scopes = [...(run.live?.scopes.values() ?? [])];
  return {
    wallMs,
    calls: run.counter.snapshot(),
    attempts: run.counter.attemptSnapshot(),
    summary: { ...run.plan.summary },
    changes,
    errors: run.plan.errors.map((e) => e.message),
    warnings: run.plan.warnings.length,
    warningSamples: [
      ...new Set(run.plan.warnings.map((w) => w.message.replace(/\b[\w-]*\d[\w-]*\b/g, '…'))),
    ].slice(0, 5),
    cpuMs: (used.user + used.system) / 1000,
    live: {
      groups: scopes.reduce((n, s) => n + s.groups.size, 0),
      ecsClusters: scopes.reduce((n, s) => n + (s.ecs?.size ?? 0), 0),
      metrics: run.live?.metrics?.size ?? 0,
      targetGroups: scopes.reduce((n, s) => n + (s.registrations?.targetGroups.size ?? 0), 0),
      registrations: scopes.some((s) => s.registrations !== undefined),
    },
    peakRss,
    peakHeapUsed,
    maxRss: process.resourceUsage().maxRSS * 1024,
    rssBeforePlan,
    ...(phases === undefined ? {} : { phases }),
    emulationFetches: emulationFetches(),
    ...(pacer === undefined ? {} : { pacing: pacer.stats() }),
  };
}

/** What runPlan does (pipeline.ts, planWith), stage by stage, timed. */
async function staged(
  options: PipelineOptions & { pool: ClientPool; now: Date },
): Promise<{ run: PlanRun; phases: Phases }> {
  const region = options.region ?? TEST_REGION;
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  const config = await loadConfig(options.configDir, { env: {}, cwd: options.configDir, region });
  const loadMs = lap();
  const built = buildDesired(config.clusters, { region });
  const buildMs = lap();
  const live = await observe(
    built.desired,
    (scope) =>
      options.pool.get({
        region: scope.region,
        ...(scope.roleArn === undefined ? {} : { roleArn: scope.roleArn }),
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      }),
    // As runPlan asks it: task sizes only where tasks wait for room.
    { now: options.now, tasksToPlace: (c, s, m) => taskDefinitionsToPlace(c, s, m, options.now) },
  );
  const observeMs = lap();
  const plan = makePlan(built.desired, live, options.now);
  const planMs = lap();
  return {
    run: {
      plan,
      diagnostics: [...config.diagnostics, ...built.diagnostics],
      secrets: config.secrets,
      counter: options.pool.counter,
      desired: built.desired,
      live,
    },
    phases: { loadConfig: loadMs, buildDesired: buildMs, observe: observeMs, plan: planMs },
  };
}

/**
 * BENCH_CPU_PROF=<dir>: a V8 CPU profile of the measured plan alone (module loading and the
 * measurement's own set-up left out), written there as plan-<pid>.cpuprofile for DevTools.
 */
async function startProfiler(): Promise<{ stop(): Promise<void> } | undefined> {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `plan-${process.pid}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Runs one measured plan in a child process (this Node, Node 24 under npm/npx). */
export function measurePlan(input: MeasureInput): Promise<Measurement> {
  return new Promise((done, fail) => {
    const script = resolve(import.meta.dirname, 'measure.ts');
    const proc = spawn(process.execPath, [script, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.on('error', fail);
    proc.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return fail(new Error(`the measured plan exited ${code}: ${out.slice(-2000)}`));
      try {
        done(JSON.parse(last) as Measurement);
      } catch (error) {
        fail(new Error(`the measured plan printed no result (${String(error)}): ${out.slice(-2000)}`));
      }
    });
  });
}

if (process.argv[1] === import.meta.filename) {
  const input = JSON.parse(process.argv[2] ?? '{}') as MeasureInput;
  process.stdout.write(`${JSON.stringify(await child(input))}\n`);
}
