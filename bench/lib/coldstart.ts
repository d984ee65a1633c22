/**
 * Cold start of the bundled entry points, each run a new process, beside `node -e 0` measured in
 * the same loop (the floor no program on this Node can go below; on a loaded machine only the
 * ratio means anything):
 *   - `node dist/cli.js --version` (the shell alone),
 *   - `node dist/cli.js validate --config clusters` (the repository's example configuration),
 *   - `node dist/index.js` in validate mode on the same clusters/ (what a pull request's first
 *     step costs before any AWS call), with the Action's inputs as the runner passes them (INPUT_*).
 * The four commands take turns within each round, so a burst of load elsewhere hits them alike.
 *
 * Besides wall time, the CPU time (user + system, all threads) of each process when python3 is
 * there to read it (getrusage of its child, in microseconds): on a loaded machine CPU time moves
 * far less than wall time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
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
  /** CPU milliseconds (user + system) of the same runs; undefined without python3. */
  readonly cpu:
    | {
        readonly node: Timing;
        readonly actionValidate: Timing;
        readonly cliVersion: Timing;
        readonly cliValidate: Timing;
      }
    | undefined;
  /** The entry files, and all of dist/ (entries and the chunks they load on demand). */
  readonly bundleBytes: { readonly action: number; readonly cli: number; readonly dist: number };
}

/**
 * The variables clusters/ interpolates without a default (`${NAME}`, `%(NAME)`), each set to a
 * placeholder so that validate checks the whole configuration and succeeds (a variable not set
 * is an error in the Action). Read from the files, so a new example variable needs no edit here.
 */
function clustersEnv(dir = 'clusters'): Record<string, string> {
  const env: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    if (!/\.ya?ml$/.test(file)) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|%\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
      const name = (match[1] ?? match[2]) as string;
      env[name] = `bench-${name.toLowerCase().replaceAll('_', '-')}-placeholder`;
    }
  }
  return env;
}

const CLUSTERS_ENV = clustersEnv();

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number | undefined;
}

/** Runs the command it is given and prints its child's CPU and wall milliseconds, and status. */
const RUSAGE_PY = `
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print((usage.ru_utime + usage.ru_stime) * 1000, wall * 1000, code)
`;

const hasPython = spawnSync('python3', ['-c', 'import resource'], { stdio: 'ignore' }).status === 0;

function once(args: readonly string[], env: Record<string, string>): Promise<Sample> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const command = hasPython ? 'python3' : process.execPath;
    const argv = hasPython ? ['-c', RUSAGE_PY, process.execPath, ...args] : [...args];
    const proc = spawn(command, argv, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', hasPython ? 'pipe' : 'ignore', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    proc.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString();
    });
    proc.on('error', fail);
    proc.on('close', (code) => {
      const wallMs = performance.now() - started;
      const [cpu, wall, status] = stdout.trim().split(' ').map(Number);
      const exit = hasPython ? status : code;
      // A command that fails measures its failure, not its start: stop the bench instead.
      if (code !== 0 || exit !== 0) fail(new Error(`node ${args.join(' ')} exited ${exit}\n${stderr}`));
      else if (hasPython) done({ wallMs: wall ?? Number.NaN, cpuMs: cpu });
      else done({ wallMs, cpuMs: undefined });
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

export async function measureColdStart(
  runs = 7,
  /** The build to measure (another checkout's dist/, to compare); clusters/ is always this one's. */
  distDir = join(ROOT, 'dist'),
): Promise<ColdStart> {
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
    const action = join(distDir, 'index.js');
    const cli = join(distDir, 'cli.js');
    const names = ['node', 'cliVersion', 'cliValidate', 'actionValidate'] as const;
    type Name = (typeof names)[number];
    const commands: Record<Name, { args: readonly string[]; env: Record<string, string> }> = {
      node: { args: ['-e', '0'], env: {} },
      cliVersion: { args: [cli, '--version'], env: {} },
      cliValidate: { args: [cli, 'validate', '--config', 'clusters', '--strict-env'], env: CLUSTERS_ENV },
      actionValidate: { args: [action], env: actionEnv },
    };
    const run = (name: Name) => once(commands[name].args, commands[name].env);
    // One unmeasured round: the first read of the files from disk is not a cold start.
    for (const name of names) await run(name);
    const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Record<Name, Sample[]>;
    for (let i = 0; i < runs; i++) {
      for (const name of names) samples[name].push(await run(name));
    }
    const wall = (name: Name) => stats(samples[name].map((s) => s.wallMs));
    const cpu = (name: Name) => stats(samples[name].map((s) => s.cpuMs ?? 0));
    return {
      runs,
      node: wall('node'),
      actionValidate: wall('actionValidate'),
      cliVersion: wall('cliVersion'),
      cliValidate: wall('cliValidate'),
      cpu: hasPython
        ? {
            node: cpu('node'),
            actionValidate: cpu('actionValidate'),
            cliVersion: cpu('cliVersion'),
            cliValidate: cpu('cliValidate'),
          }
        : undefined,
      bundleBytes: {
        action: statSync(action).size,
        cli: statSync(cli).size,
        dist: bytesOf(distDir),
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
  const row = (label: string, t: Timing, base: Timing, target?: number) => {
    const times = t.median / base.median;
    const goal = target === undefined ? '' : `  target ≤ ${target}×: ${times <= target ? 'met' : 'MISSED'}`;
    return `  ${label.padEnd(46)} ${t.median.toFixed(0).padStart(5)} ms ${times.toFixed(1).padStart(5)}×  (min ${t.min.toFixed(0)}, max ${t.max.toFixed(0)})${goal}`;
  };
  const table = (
    figures: Pick<ColdStart, 'node' | 'actionValidate' | 'cliVersion' | 'cliValidate'>,
    targets: boolean,
  ) => [
    row('node -e 0', figures.node, figures.node),
    row(
      'node dist/cli.js --version',
      figures.cliVersion,
      figures.node,
      targets ? COLD_TARGETS.cliVersion : undefined,
    ),
    row('node dist/cli.js validate --config clusters', figures.cliValidate, figures.node),
    row(
      'node dist/index.js (mode validate, clusters/)',
      figures.actionValidate,
      figures.node,
      targets ? COLD_TARGETS.actionValidate : undefined,
    ),
  ];
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  return [
    `Cold start, median of ${cold.runs} fresh processes each; × = multiple of node -e 0 in the same run`,
    'wall time:',
    ...table(cold, true),
    ...(cold.cpu === undefined ? [] : ['CPU time (user + system):', ...table(cold.cpu, false)]),
    `entry files: dist/index.js ${mb(cold.bundleBytes.action)}, dist/cli.js ${mb(cold.bundleBytes.cli)}; all of dist/ ${mb(cold.bundleBytes.dist)} (chunks load on demand)`,
  ];
}
