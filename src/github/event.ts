/**
 * What the workflow run is about, read from the runner's environment and the event payload
 * (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_REF, ...), and the decisions
 * that depend only on it: which mode `auto` means, and whether apply may run on this ref.
 * Pure functions over plain data, so every case is a unit test.
 */
import { readFileSync } from 'node:fs';
import type { Repo } from './api.ts';
import { compileGlob, compilePatterns, lastMatch } from './glob.ts';

export interface PullRequestInfo {
  readonly number: number;
  /** The branch the pull request brings in. */
  readonly headRef: string;
  readonly headSha: string;
  /** `owner/name` of the head repository; undefined when GitHub no longer knows it (deleted fork). */
  readonly headRepo: string | undefined;
  /** True when the head branch lives in another repository (a fork): no secrets, a read-only token. */
  readonly fromFork: boolean;
}

export interface RunEvent {
  readonly name: string;
  readonly repo: Repo | undefined;
  /** `refs/heads/main`, `refs/pull/7/merge`, `refs/tags/v1`, ... */
  readonly ref: string;
  readonly sha: string;
  /** From the payload's `repository.default_branch`, when the payload has it. */
  readonly defaultBranch: string | undefined;
  readonly pullRequest: PullRequestInfo | undefined;
  /** The run's page (its job summary), when the environment says enough to build it. */
  readonly runUrl: string | undefined;
  /** `https://github.com/acme/infra`: where file and run links point. */
  readonly repoUrl: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

export const PULL_REQUEST_EVENTS: ReadonlySet<string> = new Set(['pull_request', 'pull_request_target']);
const APPLY_EVENTS: ReadonlySet<string> = new Set(['schedule', 'push', 'workflow_dispatch']);

/** Reads the payload file; an absent or unreadable one is an empty payload (local runs). */
export function readPayload(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

export function readEvent(env: Env, payload: Record<string, unknown>): RunEvent {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const repository = objectAt(payload, 'repository');
  const fullName = env.GITHUB_REPOSITORY || stringAt(repository, 'full_name') || '';
  const [owner, repoName] = fullName.split('/');
  const repo = owner && repoName ? { owner, repo: repoName } : undefined;
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runUrl =
    repo !== undefined && env.GITHUB_RUN_ID
      ? `${server}/${repo.owner}/${repo.repo}/actions/runs/${env.GITHUB_RUN_ID}` +
        (env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1'
          ? `/attempts/${env.GITHUB_RUN_ATTEMPT}`
          : '')
      : undefined;
  return {
    name,
    repo,
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    defaultBranch: stringAt(repository, 'default_branch') || undefined,
    pullRequest: pullRequestOf(payload, fullName),
    runUrl,
    repoUrl: repo === undefined ? undefined : `${server}/${repo.owner}/${repo.repo}`,
  };
}

function pullRequestOf(payload: Record<string, unknown>, repoName: string): PullRequestInfo | undefined {
  const pr = objectAt(payload, 'pull_request');
  if (pr === undefined) return undefined;
  const number = pr.number ?? payload.number;
  if (typeof number !== 'number') return undefined;
  const head = objectAt(pr, 'head');
  const headRepoObj = objectAt(head, 'repo');
  const headRepo = stringAt(headRepoObj, 'full_name') || undefined;
  const baseRepo = stringAt(objectAt(objectAt(pr, 'base'), 'repo'), 'full_name') || repoName;
  let fromFork: boolean;
  if (headRepoObj === undefined)
    fromFork = true; // the head repository was deleted: treat as foreign
  else if (headRepo !== undefined && baseRepo) fromFork = headRepo.toLowerCase() !== baseRepo.toLowerCase();
  else fromFork = headRepoObj.fork === true;
  return {
    number,
    headRef: stringAt(head, 'ref') ?? '',
    headSha: stringAt(head, 'sha') ?? '',
    headRepo,
    fromFork,
  };
}

export type ConcreteMode = 'validate' | 'plan' | 'apply';
export type Mode = 'auto' | ConcreteMode;
export const MODES: readonly Mode[] = ['auto', 'validate', 'plan', 'apply'];

export interface ResolvedMode {
  readonly mode: ConcreteMode;
  /** Why, for the log. */
  readonly why: string;
}

/**
 * `auto`: pull requests are planned; schedule, a push to the default branch and manual dispatch
 * apply (the ref guard still decides); a push to another branch is planned only (apply would be
 * refused there, and pushing a branch is not asking for an apply); anything else is planned.
 */
export function resolveMode(mode: Mode, event: RunEvent): ResolvedMode {
  if (mode !== 'auto') return { mode, why: `mode: ${mode}` };
  if (PULL_REQUEST_EVENTS.has(event.name)) return { mode: 'plan', why: `${event.name}: plan` };
  if (
    event.name === 'push' &&
    event.defaultBranch !== undefined &&
    branchOf(event.ref) !== event.defaultBranch
  ) {
    return {
      mode: 'plan',
      why: `push to ${event.ref}, not the default branch ${event.defaultBranch}: plan only`,
    };
  }
  if (APPLY_EVENTS.has(event.name)) return { mode: 'apply', why: `${event.name}: apply` };
  return { mode: 'plan', why: `${event.name || 'no event'}: plan` };
}

/** `main` for `refs/heads/main`; undefined for tags, pull request refs and the like. */
export function branchOf(ref: string): string | undefined {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

/**
 * Branch patterns from an input: comma or newline separated, with GitHub's filter rules
 * (glob.ts). Throws PatternError for a pattern that cannot be compiled: a guard's input that
 * means nothing must stop the run, not allow or refuse by accident.
 */
export function parsePatterns(input: string): string[] {
  const patterns = input
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  compilePatterns(patterns);
  return patterns;
}

export function matchesPattern(name: string, pattern: string): boolean {
  return compileGlob(pattern).test(name);
}

export type ApplyGuard =
  | { readonly allowed: true; readonly why: string }
  | { readonly allowed: false; readonly why: string };

/**
 * Apply runs only on the default branch, or on a branch (or full ref) `allow-apply-on` names.
 * On a pull request event the code is the head branch's, so that is the branch judged; a fork's
 * pull request never applies. `defaultBranch` undefined: it could not be learned, so only an
 * explicit pattern allows the apply (fail closed).
 */
export function checkApplyRef(
  event: RunEvent,
  defaultBranch: string | undefined,
  allowOn: readonly string[],
): ApplyGuard {
  const pr = event.pullRequest;
  if (pr?.fromFork) {
    return {
      allowed: false,
      why: `pull request #${pr.number} comes from a fork (${pr.headRepo ?? 'unknown'}): never applied`,
    };
  }
  const branch = pr !== undefined && PULL_REQUEST_EVENTS.has(event.name) ? pr.headRef : branchOf(event.ref);
  const shown = branch ?? (event.ref || '(no ref)');
  if (branch !== undefined && defaultBranch !== undefined && branch === defaultBranch) {
    return { allowed: true, why: `${branch} is the default branch` };
  }
  // GitHub's rule: the last matching pattern decides, and a `!` one excludes.
  const match = lastMatch(compilePatterns(allowOn), branch === undefined ? [event.ref] : [branch, event.ref]);
  if (match !== undefined && !match.exclude)
    return { allowed: true, why: `${shown} matches allow-apply-on "${match.text}"` };
  if (match !== undefined) {
    return {
      allowed: false,
      why: `apply refused: ${shown} is excluded by allow-apply-on "${match.text}". Merge to ${defaultBranch ?? 'the default branch'} first.`,
    };
  }
  const base =
    defaultBranch === undefined
      ? `the default branch could not be determined, and ${shown} is not in allow-apply-on`
      : `${shown} is not the default branch (${defaultBranch})`;
  return {
    allowed: false,
    why: `apply refused: ${base}. Merge to ${defaultBranch ?? 'the default branch'} first, or list the branch in the allow-apply-on input.`,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(
  value: Record<string, unknown> | undefined,
  key: string,
): Record<string, unknown> | undefined {
  const inner = value?.[key];
  return isObject(inner) ? inner : undefined;
}

function stringAt(value: Record<string, unknown> | undefined, key: string): string | undefined {
  const inner = value?.[key];
  return typeof inner === 'string' ? inner : undefined;
}
