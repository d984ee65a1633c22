import { describe, expect, it } from 'vitest';
import {
  checkApplyRef,
  matchesPattern,
  parsePatterns,
  type RunEvent,
  readEvent,
  resolveMode,
} from '../../../src/github/event.ts';

const ENV = { GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '42', GITHUB_SHA: 'abc' };

function prPayload(headRepo: string | null, extra: Record<string, unknown> = {}) {
  return {
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      head: {
        ref: 'feature',
        sha: 'f00d',
        repo: headRepo === null ? null : { full_name: headRepo, fork: headRepo !== 'acme/infra', ...extra },
      },
      base: { ref: 'main', repo: { full_name: 'acme/infra' } },
    },
    repository: { full_name: 'acme/infra', default_branch: 'main' },
  };
}

function event(name: string, ref: string, payload: Record<string, unknown> = {}): RunEvent {
  return readEvent({ ...ENV, GITHUB_EVENT_NAME: name, GITHUB_REF: ref }, payload);
}

describe('readEvent', () => {
  it('reads the repository, default branch, run page and pull request', () => {
    const e = event('pull_request', 'refs/pull/7/merge', prPayload('acme/infra'));
    expect(e.repo).toEqual({ owner: 'acme', repo: 'infra' });
    expect(e.defaultBranch).toBe('main');
    expect(e.runUrl).toBe('https://github.com/acme/infra/actions/runs/42');
    expect(e.pullRequest).toEqual({
      number: 7,
      headRef: 'feature',
      headSha: 'f00d',
      headRepo: 'acme/infra',
      fromFork: false,
    });
  });

  it('links a re-run attempt and a GitHub Enterprise server', () => {
    const e = readEvent({ ...ENV, GITHUB_RUN_ATTEMPT: '2', GITHUB_SERVER_URL: 'https://ghe.example/' }, {});
    expect(e.runUrl).toBe('https://ghe.example/acme/infra/actions/runs/42/attempts/2');
  });

  it('knows a fork by its head repository, and a deleted head repository as foreign', () => {
    expect(event('pull_request', '', prPayload('mallory/infra')).pullRequest?.fromFork).toBe(true);
    expect(event('pull_request', '', prPayload(null)).pullRequest?.fromFork).toBe(true);
    // The base repository may itself be a fork: `fork: true` on the same repository is not foreign.
    expect(event('pull_request', '', prPayload('acme/infra', { fork: true })).pullRequest?.fromFork).toBe(
      false,
    );
  });
});

describe('resolveMode', () => {
  it('plans pull requests and applies schedule, push to the default branch and dispatch', () => {
    const main = { repository: { default_branch: 'main' } };
    expect(
      resolveMode('auto', event('pull_request', 'refs/pull/7/merge', prPayload('acme/infra'))).mode,
    ).toBe('plan');
    expect(resolveMode('auto', event('pull_request_target', 'refs/heads/main', prPayload('x/y'))).mode).toBe(
      'plan',
    );
    expect(resolveMode('auto', event('schedule', 'refs/heads/main')).mode).toBe('apply');
    expect(resolveMode('auto', event('push', 'refs/heads/main', main)).mode).toBe('apply');
    expect(resolveMode('auto', event('workflow_dispatch', 'refs/heads/feature', main)).mode).toBe('apply');
  });

  it('only plans a push to another branch and unknown events; explicit modes win', () => {
    const main = { repository: { default_branch: 'main' } };
    expect(resolveMode('auto', event('push', 'refs/heads/feature', main)).mode).toBe('plan');
    expect(resolveMode('auto', event('merge_group', 'refs/heads/gh-readonly-queue/main/x')).mode).toBe(
      'plan',
    );
    expect(resolveMode('validate', event('schedule', 'refs/heads/main')).mode).toBe('validate');
    expect(resolveMode('apply', event('pull_request', 'refs/pull/7/merge')).mode).toBe('apply');
  });
});

describe('checkApplyRef', () => {
  it('allows the default branch and refuses any other', () => {
    expect(checkApplyRef(event('push', 'refs/heads/main'), 'main', []).allowed).toBe(true);
    const refused = checkApplyRef(event('workflow_dispatch', 'refs/heads/feature'), 'main', []);
    expect(refused).toEqual({
      allowed: false,
      why: 'apply refused: feature is not the default branch (main). Merge to main first, or list the branch in the allow-apply-on input.',
    });
    expect(checkApplyRef(event('push', 'refs/tags/v1'), 'main', []).allowed).toBe(false);
  });

  it('allows what allow-apply-on names, by branch or full ref', () => {
    const patterns = parsePatterns('release/*, hotfix\n refs/tags/v* ');
    expect(patterns).toEqual(['release/*', 'hotfix', 'refs/tags/v*']);
    expect(checkApplyRef(event('push', 'refs/heads/release/2030.1'), 'main', patterns).allowed).toBe(true);
    expect(checkApplyRef(event('push', 'refs/heads/hotfix'), 'main', patterns).allowed).toBe(true);
    expect(checkApplyRef(event('push', 'refs/tags/v1.2'), 'main', patterns).allowed).toBe(true);
    expect(checkApplyRef(event('push', 'refs/heads/hotfix2'), 'main', patterns).allowed).toBe(false);
  });

  it('judges the head branch of a pull request, and never applies a fork', () => {
    // pull_request_target runs on the base ref, but the code under review is the head's.
    const target = event('pull_request_target', 'refs/heads/main', prPayload('acme/infra'));
    expect(checkApplyRef(target, 'main', []).allowed).toBe(false);
    expect(checkApplyRef(target, 'main', ['feature']).allowed).toBe(true);
    const fork = event('pull_request_target', 'refs/heads/main', prPayload('mallory/infra'));
    expect(checkApplyRef(fork, 'main', ['*'])).toMatchObject({ allowed: false });
  });

  it('fails closed when the default branch is unknown', () => {
    const guard = checkApplyRef(event('push', 'refs/heads/main'), undefined, []);
    expect(guard.allowed).toBe(false);
    expect(guard.why).toContain('could not be determined');
  });

  it("matches with GitHub's filter rules: * stops at /, ** crosses it", () => {
    expect(matchesPattern('release/1.0', 'release/*')).toBe(true);
    expect(matchesPattern('release/1.2/hotfix', 'release/*')).toBe(false);
    expect(matchesPattern('release/1.2/hotfix', 'release/**')).toBe(true);
    expect(matchesPattern('release/', 'release/**')).toBe(true);
    expect(matchesPattern('releaseX1.0', 'release.1.0')).toBe(false);
    expect(matchesPattern('anything/at/all', '*')).toBe(false);
    expect(matchesPattern('anything/at/all', '**')).toBe(true);
    expect(matchesPattern('main', '*')).toBe(true);
  });

  it('matches ?, +, [] and \\ as GitHub does', () => {
    // ? and + quantify the preceding character (not "any one character" as in a shell).
    expect(matchesPattern('v', 'v1?')).toBe(true);
    expect(matchesPattern('v1', 'v1?')).toBe(true);
    expect(matchesPattern('v11', 'v1?')).toBe(false);
    expect(matchesPattern('v111', 'v1+')).toBe(true);
    expect(matchesPattern('v', 'v1+')).toBe(false);
    expect(matchesPattern('release-b', 'release-[a-c]')).toBe(true);
    expect(matchesPattern('release-d', 'release-[a-c]')).toBe(false);
    expect(matchesPattern('a*b', 'a\\*b')).toBe(true);
    expect(matchesPattern('axb', 'a\\*b')).toBe(false);
    expect(() => parsePatterns('release-[a-c')).toThrow(/not closed/);
    expect(() => parsePatterns('?x')).toThrow(/no character before it/);
  });

  it('applies on release/* but not release/1.2/hotfix; release/** takes both; ! excludes', () => {
    const push = (branch: string) => event('push', `refs/heads/${branch}`);
    expect(checkApplyRef(push('release/1.2'), 'main', ['release/*']).allowed).toBe(true);
    expect(checkApplyRef(push('release/1.2/hotfix'), 'main', ['release/*']).allowed).toBe(false);
    expect(checkApplyRef(push('release/1.2/hotfix'), 'main', ['release/**']).allowed).toBe(true);
    const excluded = checkApplyRef(push('release/old'), 'main', ['release/**', '!release/old']);
    expect(excluded).toEqual({
      allowed: false,
      why: 'apply refused: release/old is excluded by allow-apply-on "!release/old". Merge to main first.',
    });
    // The last matching pattern decides: a later inclusion wins over an earlier exclusion.
    expect(checkApplyRef(push('release/old'), 'main', ['!release/old', 'release/**']).allowed).toBe(true);
  });
});
