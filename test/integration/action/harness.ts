/**
 * Runs the bundled Action (dist/index.js) the way the runner runs a node24 action step: INPUT_*
 * variables, the event payload in a file (GITHUB_EVENT_PATH), GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, GITHUB_API_URL at a fake GitHub, AWS at moto.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACTION, type ProcessResult, readText, runNode } from '../../support/run-bundle.ts';

export const REPOSITORY = 'acme/infra';
export const TOKEN = 'ghs_faketoken0123456789abcdefghijklmnop';
export const PR_NUMBER = 7;

export interface ActionRun extends ProcessResult {
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** GITHUB_RUN_ID of the run: its link is https://github.com/acme/infra/actions/runs/<id>. */
  readonly runId: number;
  /** stdout without the `::add-mask::` commands (the runner consumes those; they never show). */
  readonly log: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly event: string;
  readonly payload: Record<string, unknown>;
  readonly ref: string;
  readonly sha: string;
  readonly githubUrl: string;
  readonly inputs?: Record<string, string>;
  /** Extra environment: AWS (moto.env({})), secrets for the YAML. */
  readonly env?: NodeJS.ProcessEnv;
  readonly runId?: number;
}

let runs = 0;

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const n = ++runs;
  const runId = options.runId ?? 1000 + n;
  const dir = join(options.cwd, '.runner', String(n));
  await mkdir(join(dir, 'temp'), { recursive: true });
  const eventPath = join(dir, 'event.json');
  const outputPath = join(dir, 'output.txt');
  const summaryPath = join(dir, 'summary.md');
  await writeFile(eventPath, JSON.stringify(options.payload, null, 2));
  await writeFile(outputPath, '');
  await writeFile(summaryPath, '');
  const inputs: Record<string, string> = {
    config: 'clusters',
    mode: 'auto',
    'github-token': TOKEN,
    comment: 'true',
    region: '',
    only: '',
    'allow-apply-on': '',
    'failure-issue': '',
    'comment-author': '',
    ...options.inputs,
  };
  const env: Record<string, string> = {
    // No real AWS configuration from this machine: a home and config files that do not exist.
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: options.cwd,
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: REPOSITORY.split('/')[0] ?? '',
    GITHUB_REF: options.ref,
    GITHUB_SHA: options.sha,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.githubUrl,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: join(dir, 'temp'),
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...definedOnly(options.env ?? {}),
  };
  const result = await runNode(ACTION, [], { cwd: options.cwd, env });
  return {
    ...result,
    outputs: parseOutputs(await readText(outputPath)),
    summary: await readText(summaryPath),
    runId,
    log: result.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
  };
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The GITHUB_OUTPUT file format: `name<<DELIMITER\nvalue\nDELIMITER\n`. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (m === null) continue;
    const [, name, delimiter] = m;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    out[name ?? ''] = value.join('\n');
  }
  return out;
}

export function pullRequestPayload(options: {
  sha: string;
  headRepo?: string;
  branch?: string;
}): Record<string, unknown> {
  const headRepo = options.headRepo ?? REPOSITORY;
  const repository = {
    id: 1,
    name: 'infra',
    full_name: REPOSITORY,
    owner: { login: 'acme' },
    default_branch: 'main',
    fork: false,
    private: true,
  };
  return {
    action: 'synchronize',
    number: PR_NUMBER,
    pull_request: {
      number: PR_NUMBER,
      state: 'open',
      title: 'Scale the web tier',
      html_url: `https://github.com/${REPOSITORY}/pull/${PR_NUMBER}`,
      head: {
        ref: options.branch ?? 'scale-web',
        sha: options.sha,
        repo: { name: headRepo.split('/')[1], full_name: headRepo, fork: headRepo !== REPOSITORY },
      },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: repository },
    },
    repository,
    sender: { login: 'alice' },
  };
}

export function pushPayload(ref: string, sha: string): Record<string, unknown> {
  return {
    ref,
    after: sha,
    repository: { full_name: REPOSITORY, name: 'infra', default_branch: 'main', master_branch: 'main' },
    sender: { login: 'alice' },
  };
}

export async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}
