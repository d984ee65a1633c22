/**
 * The one pipeline (DESIGN.md): load → validate → desired → observe → plan, then apply. The CLI
 * and the Action are shells over runPlan / runApply; tests and benches call them directly.
 */

import { applyPlan, applySucceeded } from './apply/index.ts';
import { type CallCounter, ClientPool, roleSessionName } from './aws/clients.ts';
import { Pacer } from './aws/pacing.ts';
import { defaultRegion } from './aws/settings.ts';
import { type Diagnostic, hasErrors, loadConfig } from './config/index.ts';
import type { Environment } from './config/interpolate.ts';
import type { RunDeadline } from './deadline.ts';
import { buildDesired } from './desired/index.ts';
import type { ApplyReport, AwsScope, Desired, Live, Plan } from './model.ts';
import { observe } from './observe/index.ts';
import { TaskSizeCache } from './observe/task-size-cache.ts';
import { taskDefinitionsToPlace } from './plan/ecs/room.ts';
import { hasChanges, plan as makePlan } from './plan/index.ts';

export interface PipelineOptions {
  /** The folder of cluster files (CLI --config, default `clusters`). */
  readonly configDir: string;
  /** Glob on paths below configDir (--only, for sharding). */
  readonly only?: string;
  /**
   * Region for files that name none; default AWS_REGION, then AWS_DEFAULT_REGION from env, then
   * the shared config file's profile (aws/settings.ts).
   */
  readonly region?: string;
  /** Environment for `${VAR}` / `%(VAR)` and the default region; default process.env. */
  readonly env?: Environment;
  /** Base for the file paths shown in plans and errors; default the working directory. */
  readonly cwd?: string;
  /** AWS endpoint (an emulator); default the SDK's own resolution, AWS_ENDPOINT_URL included. */
  readonly endpoint?: string;
  /** The planners' clock; default the time of the call. */
  readonly now?: Date;
  /**
   * The YAML comes from a change nobody has reviewed yet (a pull request): commands it names
   * (command registries) are not run, and what they cover is unknown, so nothing is pruned.
   */
  readonly unreviewed?: boolean;
  /**
   * Clients to use (tests, benches); default a pool made for the run and closed after it, whose
   * requests are paced (give a pool made with `{ pacer: new Pacer() }` to keep that).
   */
  readonly pool?: ClientPool;
  /**
   * Past it no new work starts (deadline.ts): reads not begun are unknown, the plan gets an error,
   * and apply starts no change. Default none (the CLI and the Action always give one).
   */
  readonly deadline?: RunDeadline;
  /**
   * A directory kept between runs (CLI --cache-dir, the Action's cache-dir): task sizes read once
   * are not read again (observe/task-size-cache.ts). Default none: nothing is written to disk.
   */
  readonly cacheDir?: string;
}

export interface PlanRun {
  /** Null when the configuration has errors: then no AWS call was made. */
  readonly plan: Plan | null;
  /** Config errors and warnings, file:line:col, sorted. */
  readonly diagnostics: readonly Diagnostic[];
  /** Values read from the environment: redact them from anything printed. */
  readonly secrets: ReadonlySet<string>;
  /** AWS calls made, per `Service:Operation`. */
  readonly counter: CallCounter;
  readonly desired: Desired | null;
  readonly live: Live | null;
}

export interface ApplyRun extends PlanRun {
  /** Null when there was no plan to apply (config errors). */
  readonly report: ApplyReport | null;
}

export async function runPlan(options: PipelineOptions): Promise<PlanRun> {
  return withPool(options, (pool) => planWith(options, pool));
}

/** Plans, then applies that plan (CLI `apply --auto-approve`, the Action's apply mode). */
export async function runApply(options: PipelineOptions): Promise<ApplyRun> {
  return withPool(options, async (pool) => {
    const run = await planWith(options, pool);
    if (run.plan === null) return { ...run, report: null };
    const report = await applyPlan(run.plan, clientsFor(pool, options), deadlineOf(options));
    return { ...run, report };
  });
}

/** Applies a plan made earlier by runPlan (after a confirmation at the terminal). */
export async function applyPlanned(
  plan: Plan,
  options: Omit<PipelineOptions, 'configDir'>,
): Promise<ApplyReport> {
  return withPool(options, (pool) => applyPlan(plan, clientsFor(pool, options), deadlineOf(options)));
}

/** CONTRACT.md: 1 on any error, 2 for changes with --detailed-exitcode, else 0. */
export function planExitCode(run: PlanRun, detailedExitcode: boolean): 0 | 1 | 2 {
  if (run.plan === null || run.plan.errors.length > 0) return 1;
  return detailedExitcode && hasChanges(run.plan) ? 2 : 0;
}

/** 1 when anything failed, was skipped or blocked, or could not be planned; else 0. */
export function applyExitCode(run: ApplyRun): 0 | 1 {
  if (run.plan === null || run.report === null || run.plan.errors.length > 0) return 1;
  return applySucceeded(run.report) ? 0 : 1;
}

const UNREVIEWED_COMMANDS =
  'registry commands are not run when planning a pull request (its YAML is not reviewed yet); the apply on the default branch runs them';

async function planWith(options: PipelineOptions, pool: ClientPool): Promise<PlanRun> {
  const env = options.env ?? process.env;
  const region = await defaultRegion(options.region, env);
  const config = await loadConfig(options.configDir, {
    env,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(region === undefined ? {} : { region }),
  });
  const empty = { plan: null, secrets: config.secrets, counter: pool.counter, desired: null, live: null };
  if (hasErrors(config.diagnostics)) return { ...empty, diagnostics: config.diagnostics };
  const built = buildDesired(config.clusters, region === undefined ? {} : { region });
  const diagnostics = [...config.diagnostics, ...built.diagnostics];
  if (hasErrors(built.diagnostics)) return { ...empty, diagnostics };
  const now = options.now ?? new Date();
  const cache = options.cacheDir === undefined ? undefined : await TaskSizeCache.open(options.cacheDir);
  const live = await observe(built.desired, clientsFor(pool, options), {
    now,
    // Task sizes are read only where the capacity plan will look them up: the planner's question.
    tasksToPlace: (cluster, services, metrics) => taskDefinitionsToPlace(cluster, services, metrics, now),
    ...(cache === undefined ? {} : { taskSizeCache: cache }),
    ...(options.unreviewed ? { registry: { refuse: UNREVIEWED_COMMANDS } } : {}),
    ...(options.deadline === undefined ? {} : { signal: options.deadline.signal }),
  });
  await cache?.save();
  const plan = withWarnings(
    afterDeadline(makePlan(built.desired, live, now), options.deadline),
    cache?.warnings ?? [],
  );
  return { plan, diagnostics, secrets: config.secrets, counter: pool.counter, desired: built.desired, live };
}

/** Problems of the run's own machinery (the task size cache): shown with the plan's warnings. */
function withWarnings(plan: Plan, warnings: readonly string[]): Plan {
  if (warnings.length === 0) return plan;
  return { ...plan, warnings: [...plan.warnings, ...warnings.map((message) => ({ message }))] };
}

/** A plan made after the deadline passed may rest on reads that never started: it is an error. */
function afterDeadline(plan: Plan, deadline: RunDeadline | undefined): Plan {
  if (deadline === undefined || !deadline.passed) return plan;
  const message = `${deadline.text} while reading AWS: what was not read is unknown, and no change is applied this run`;
  return { ...plan, errors: [...plan.errors, { message }] };
}

function deadlineOf(options: { readonly deadline?: RunDeadline }) {
  return options.deadline === undefined ? {} : { deadline: options.deadline };
}

function clientsFor(pool: ClientPool, options: { readonly endpoint?: string }) {
  return (scope: AwsScope) =>
    pool.get({
      region: scope.region,
      ...(scope.roleArn === undefined ? {} : { roleArn: scope.roleArn }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    });
}

async function withPool<T>(
  options: { readonly pool?: ClientPool; readonly deadline?: RunDeadline; readonly env?: Environment },
  body: (pool: ClientPool) => Promise<T>,
): Promise<T> {
  // A pool of our own paces its requests to AWS's documented rates (aws/rates.ts), sends no
  // request past the run's deadline, and cuts what is still in flight after its grace.
  const pool =
    options.pool ??
    new ClientPool({
      pacer: new Pacer(),
      roleSessionName: roleSessionName(options.env ?? process.env),
      ...(options.deadline === undefined
        ? {}
        : { deadline: options.deadline, signal: options.deadline.cutoff }),
    });
  try {
    return await body(pool);
  } finally {
    if (options.pool === undefined) pool.destroy();
  }
}
