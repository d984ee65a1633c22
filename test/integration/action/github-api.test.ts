/** The Octokit-backed GitHubApi against the fake GitHub server (in process, no bundle). */
import { createServer, type ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubApi } from '../../../src/github/api.ts';
import { findOwnIssue } from '../../../src/github/failure-issue.ts';
import { marker, resolveIdentity, upsertSticky } from '../../../src/github/sticky.ts';
import { type FakeGitHub, startFakeGitHub } from '../../support/github-server.ts';

let github: FakeGitHub;
const repo = { owner: 'acme', repo: 'infra' };

beforeEach(async () => {
  github = await startFakeGitHub({ repository: 'acme/infra', maxPerPage: 100 });
});
afterEach(async () => {
  await github.close();
});

function api() {
  return createGitHubApi('ghp_test', repo, { baseUrl: github.url });
}

describe('the GitHub API adapter', () => {
  it('falls back to github-actions[bot] when GET /user is forbidden, and uses the login when it is not', async () => {
    expect(await resolveIdentity(api())).toBe('github-actions[bot]');
    github.set({ userLogin: 'octo-user' });
    expect(await resolveIdentity(api())).toBe('octo-user');
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /user', 'GET /user']);
  });

  it('follows the Link header through every page of a thread, 100 at a time', async () => {
    for (let i = 0; i < 250; i++) github.addComment(3, 'someone', `c${i}`);
    const pages: number[] = [];
    for await (const page of api().issueComments(3)) pages.push(page.length);
    expect(pages).toEqual([100, 100, 50]);
    expect(github.requests.map((r) => [r.query.per_page, r.query.page ?? '1'])).toEqual([
      ['100', '1'],
      ['100', '2'],
      ['100', '3'],
    ]);
  });

  it("keeps a personal token's own comment sticky by its login", async () => {
    github.set({ userLogin: 'octo-user', tokenLogin: 'octo-user' });
    const client = api();
    const author = await resolveIdentity(client);
    const mark = marker('plan', 'clusters');
    expect((await upsertSticky(client, { issue: 3, marker: mark, body: 'one', author })).action).toBe(
      'created',
    );
    expect((await upsertSticky(client, { issue: 3, marker: mark, body: 'two', author })).action).toBe(
      'updated',
    );
    expect((await upsertSticky(client, { issue: 3, marker: mark, body: 'two', author })).action).toBe(
      'unchanged',
    );
    expect(github.commentsOn(3).map((c) => [c.login, c.body])).toEqual([['octo-user', `${mark}\ntwo`]]);
  });

  it('lists open issues by label without pull requests, and closes one with a reason', async () => {
    const mark = marker('failure', 'clusters');
    github.addIssue({
      number: 1,
      title: 'a pull request',
      body: mark,
      labels: ['ops'],
      pullRequest: true,
      login: 'github-actions[bot]',
    });
    github.addIssue({
      number: 2,
      title: 'closed',
      body: mark,
      labels: ['ops'],
      state: 'closed',
      login: 'github-actions[bot]',
    });
    github.addIssue({
      number: 3,
      title: 'other label',
      body: mark,
      labels: ['x'],
      login: 'github-actions[bot]',
    });
    github.addIssue({
      number: 4,
      title: 'ours',
      body: `${mark}\nfailing`,
      labels: ['ops'],
      login: 'github-actions[bot]',
    });
    const client = api();
    const found = await findOwnIssue(client, 'ops', mark, 'github-actions[bot]');
    expect(found?.number).toBe(4);
    await client.updateIssue(4, { state: 'closed' });
    expect(github.issues.find((i) => i.number === 4)).toMatchObject({
      state: 'closed',
      stateReason: 'completed',
    });
  });

  it('surfaces a forbidden write as an HTTP status the Action can explain', async () => {
    github.set({ readOnly: true });
    const result = await upsertSticky(api(), {
      issue: 3,
      marker: marker('plan', 'clusters'),
      body: 'x',
      author: 'github-actions[bot]',
    });
    expect(result.action).toBe('failed');
    expect(result.action === 'failed' && (result.error as { status?: number }).status).toBe(403);
  });

  it('bounds every request: a server that never answers ends in an error naming the call', async () => {
    const held: ServerResponse[] = [];
    const silent = createServer((_req, res) => void held.push(res));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const address = silent.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const client = createGitHubApi('ghp_test', repo, {
        baseUrl: `http://127.0.0.1:${port}`,
        timeoutMs: 1000,
      });
      await expect(client.defaultBranch()).rejects.toThrow(
        'GitHub GET /repos/{owner}/{repo}: no answer within 1 s',
      );
      // The run's signal ends a request too, long before its timeout.
      const deadline = new AbortController();
      const slow = createGitHubApi('ghp_test', repo, {
        baseUrl: `http://127.0.0.1:${port}`,
        timeoutMs: 600_000,
        signal: deadline.signal,
      });
      const pending = slow.createIssueComment(3, 'x');
      setTimeout(() => deadline.abort(), 100);
      await expect(pending).rejects.toThrow(
        'GitHub POST /repos/{owner}/{repo}/issues/{issue_number}/comments: aborted',
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
