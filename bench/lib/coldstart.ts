/**
 * Cold start of the bundled entry points: a fresh `node dist/index.js` in validate mode on a
 * small config (what a pull request's first step costs before any AWS call), and
 * `node dist/cli.js --version`. Median of N runs, each a new process.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ColdStart {
  readonly runs: number;
  /** Milliseconds, median and min/max. */
  readonly actionValidate: { readonly median: number; readonly min: number; readonly max: number };
  readonly cliVersion: { readonly median: number; readonly min: number; readonly max: number };
  readonly bundleBytes: { readonly action: number; readonly cli: number };
}

function once(args: readonly string[], cwd: string, env: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const proc = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: 'ignore',
    });
    proc.on('error', fail);
    proc.on('close', (code) => {
      if (code !== 0) fail(new Error(`${args.join(' ')} exited ${code}`));
      else done(performance.now() - started);
    });
  });
}

function stats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

export async function measureColdStart(runs = 7): Promise<ColdStart> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-coldstart-'));
  try {
    await mkdir(join(dir, 'clusters'));
    await writeFile(
      join(dir, 'clusters', 'web.yml'),
      'groups:\n  web-asg:\n    min: 2\n    max: 8\n    triggers:\n      cpu: { metric: CPUUtilization, upper: { threshold: 80, adjust: 1 } }\n',
    );
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: dir,
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_OUTPUT: join(dir, 'output.txt'),
      INPUT_CONFIG: 'clusters',
      INPUT_MODE: 'validate',
    };
    await writeFile(env.GITHUB_STEP_SUMMARY, '');
    await writeFile(env.GITHUB_OUTPUT, '');
    const action = join(ROOT, 'dist/index.js');
    const cli = join(ROOT, 'dist/cli.js');
    // One unmeasured run each: the first read of a 6 MB bundle from disk is not a cold start.
    await once([action], dir, env);
    await once([cli, '--version'], dir, {});
    const a: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < runs; i++) {
      a.push(await once([action], dir, env));
      c.push(await once([cli, '--version'], dir, {}));
    }
    return {
      runs,
      actionValidate: stats(a),
      cliVersion: stats(c),
      bundleBytes: { action: statSync(action).size, cli: statSync(cli).size },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
