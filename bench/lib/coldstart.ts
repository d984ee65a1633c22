/**
 * Cold start of the bundled entry points, each run a new process, beside `node -e 0` measured in
 * the same loop (the floor no program on this Node can go below; on a loaded machine only the
 * ratio means anything):
 *   - `node dist/cli.js --version` (the shell alone),
 *   - `node dist/cli.js validate --config clusters` (the repository's example configuration),
 *   - `node dist/index.js` in validate mode on the same clusters/ (what a pull request's first
 *     step costs before any AWS call), with the Action's inputs as the runner passes them (INPUT_*).
 * The four commands take turns within each round, so a burst of load elsewhere hits them alike.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Milliseconds of wall time per fresh process. */
export interface Timing {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface ColdStart {
  readonly runs: number;
  /** `node -e 0`: Node's own start and exit, the baseline of the ratios. */
  readonly node: Timing;
  /** The Action (dist/index.js), mode validate, config clusters/. */
  readonly actionValidate: Timing;
  readonly cliVersion: Timing;
  /** `dist/cli.js validate --config clusters`. */
  readonly cliValidate: Timing;
  /** The entry files, and all of dist/ (entries and the chunks they load on demand). */
  readonly bundleBytes: { readonly action: number; readonly cli: number; readonly dist: number };
}

/**
 * The variables clusters/ interpolates. Set so that validate checks the whole configuration and
 * succeeds (a variable not set is an error in the Action); the values are placeholders.
 */
const CLUSTERS_ENV = {
  RABBIT_USER: 'bench-rabbit-user',
  RABBIT_PASS: 'bench-rabbit-password',
  CHEF_TOKEN: 'bench-chef-token-placeholder',
};

function once(args: readonly string[], env: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const proc = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString();
    });
    proc.on('error', fail);
    proc.on('close', (code) => {
      // A command that fails measures its failure, not its start: stop the bench instead.
      if (code !== 0) fail(new Error(`node ${args.join(' ')} exited ${code}\n${stderr}`));
      else done(performance.now() - started);
    });
  });
}

function stats(times: readonly number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

function bytesOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bytesOf(path) : statSync(path).size;
  }
  return total;
}

export async function measureColdStart(runs = 7): Promise<ColdStart> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-coldstart-'));
  try {
    const actionEnv = {
      ...CLUSTERS_ENV,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: ROOT,
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_OUTPUT: join(dir, 'output.txt'),
      INPUT_CONFIG: 'clusters',
      INPUT_MODE: 'validate',
    };
    await writeFile(actionEnv.GITHUB_STEP_SUMMARY, '');
    await writeFile(actionEnv.GITHUB_OUTPUT, '');
    const action = join(ROOT, 'dist/index.js');
    const cli = join(ROOT, 'dist/cli.js');
    const commands = {
      node: { args: ['-e', '0'], env: {} },
      cliVersion: { args: [cli, '--version'], env: {} },
      cliValidate: { args: [cli, 'validate', '--config', 'clusters', '--strict-env'], env: CLUSTERS_ENV },
      actionValidate: { args: [action], env: actionEnv },
    } as const;
    const names = Object.keys(commands) as (keyof typeof commands)[];
    // One unmeasured round: the first read of the files from disk is not a cold start.
    for (const name of names) await once(commands[name].args, commands[name].env);
    const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
      keyof typeof commands,
      number[]
    >;
    for (let i = 0; i < runs; i++) {
      for (const name of names) times[name].push(await once(commands[name].args, commands[name].env));
    }
    return {
      runs,
      node: stats(times.node),
      actionValidate: stats(times.actionValidate),
      cliVersion: stats(times.cliVersion),
      cliValidate: stats(times.cliValidate),
      bundleBytes: {
        action: statSync(action).size,
        cli: statSync(cli).size,
        dist: bytesOf(join(ROOT, 'dist')),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Targets of issue 14, as multiples of `node -e 0`'s median in the same run. */
export const COLD_TARGETS = { cliVersion: 4, actionValidate: 6 } as const;

/** The figures as lines of text: each command's median, min, max and its multiple of `node -e 0`. */
export function coldStartLines(cold: ColdStart): string[] {
  const base = cold.node.median;
  const row = (label: string, t: Timing, target?: number) => {
    const times = t.median / base;
    const goal = target === undefined ? '' : `  (target ≤ ${target}×: ${times <= target ? 'met' : 'MISSED'})`;
    return `  ${label.padEnd(44)} ${t.median.toFixed(0).padStart(5)} ms  ${times.toFixed(1).padStart(5)}×  (min ${t.min.toFixed(0)}, max ${t.max.toFixed(0)})${goal}`;
  };
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  return [
    `median of ${cold.runs} fresh processes each (wall time; × = multiple of node -e 0 in the same run)`,
    row('node -e 0', cold.node),
    row('node dist/cli.js --version', cold.cliVersion, COLD_TARGETS.cliVersion),
    row('node dist/cli.js validate --config clusters', cold.cliValidate),
    row('node dist/index.js (mode validate, clusters/)', cold.actionValidate, COLD_TARGETS.actionValidate),
    `  entry files: dist/index.js ${mb(cold.bundleBytes.action)}, dist/cli.js ${mb(cold.bundleBytes.cli)}; all of dist/ ${mb(cold.bundleBytes.dist)}`,
  ];
}
