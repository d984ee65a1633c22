import { describe, expect, it } from 'vitest';
import {
  findOwnComment,
  hasMarker,
  marker,
  markerKey,
  resolveIdentity,
  sameBody,
  stickyBody,
  upsertSticky,
} from '../../../src/github/sticky.ts';
import { MemoryGitHub } from './helpers.ts';

const MARK = marker('plan', 'clusters');

describe('marker', () => {
  it('is an HTML comment naming the config path, one per path and shard', () => {
    expect(MARK).toBe('<!-- autoscale-gitops plan: clusters -->');
    expect(markerKey('./clusters/')).toBe('clusters');
    expect(markerKey('infra\\clusters')).toBe('infra/clusters');
    expect(markerKey('clusters', 'web*.yml')).toBe('clusters only=web*.yml');
    expect(marker('failure', markerKey('clusters'))).toBe('<!-- autoscale-gitops failure: clusters -->');
  });

  it('cannot be closed early by the key', () => {
    const m = marker('plan', 'a-->b--c');
    expect(m.indexOf('-->')).toBe(m.length - 3);
  });

  it('matches a whole line only, so one path is not taken for another', () => {
    expect(hasMarker(`${MARK}\nbody`, MARK)).toBe(true);
    expect(hasMarker(`${marker('plan', 'clusters-prod')}\nbody`, MARK)).toBe(false);
    expect(hasMarker(`> ${MARK}\nquoted`, MARK)).toBe(false);
    expect(hasMarker(`text\r\n${MARK}\r\n`, MARK)).toBe(true);
  });

  it('treats line endings and trailing blanks as the same body', () => {
    expect(sameBody('a\r\nb\n', 'a\nb')).toBe(true);
    expect(sameBody('a\nb', 'a\nc')).toBe(false);
  });
});

describe('identity', () => {
  it('uses the configured login, else GET /user, else github-actions[bot]', async () => {
    expect(await resolveIdentity(new MemoryGitHub({ login: 'me' }), 'app[bot]')).toBe('app[bot]');
    expect(await resolveIdentity(new MemoryGitHub({ login: 'me' }))).toBe('me');
    expect(await resolveIdentity(new MemoryGitHub())).toBe('github-actions[bot]');
  });
});

describe('upsertSticky', () => {
  const options = (body: string) => ({ issue: 7, marker: MARK, body, author: 'github-actions[bot]' });

  it('creates the comment once, updates it in place, and leaves an unchanged one alone', async () => {
    const api = new MemoryGitHub();
    const first = await upsertSticky(api, options('Plan: 1 to create'));
    expect(first.action).toBe('created');
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]?.body).toBe(stickyBody(MARK, 'Plan: 1 to create'));

    const second = await upsertSticky(api, options('Plan: 2 to create'));
    expect(second.action).toBe('updated');
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]?.body).toContain('Plan: 2 to create');

    api.calls.length = 0;
    const third = await upsertSticky(api, options('Plan: 2 to create'));
    expect(third.action).toBe('unchanged');
    expect(api.names()).toEqual(['issueComments']);
  });

  it("never edits somebody else's comment that quotes the marker", async () => {
    const api = new MemoryGitHub();
    const foreign = api.addComment(7, 'mallory', `${MARK}\nlooks like a plan`);
    const result = await upsertSticky(api, options('Plan: 1 to create'));
    expect(result.action).toBe('created');
    expect(foreign.body).toBe(`${MARK}\nlooks like a plan`);
    expect(api.names()).not.toContain('updateIssueComment');
  });

  it('leaves its own comments for other config paths alone', async () => {
    const api = new MemoryGitHub();
    const other = api.addComment(7, 'github-actions[bot]', `${marker('plan', 'clusters-prod')}\nprod plan`);
    await upsertSticky(api, options('Plan: 1 to create'));
    expect(other.body).toBe(`${marker('plan', 'clusters-prod')}\nprod plan`);
    expect(api.comments).toHaveLength(2);
  });

  it('finds its comment on a later page and stops reading there', async () => {
    const api = new MemoryGitHub({ pageSize: 10 });
    for (let i = 0; i < 25; i++) api.addComment(7, 'someone', `comment ${i}`);
    const own = api.addComment(7, 'github-actions[bot]', stickyBody(MARK, 'old'));
    for (let i = 0; i < 25; i++) api.addComment(7, 'someone', `later ${i}`);
    const result = await upsertSticky(api, options('new'));
    expect(result.action).toBe('updated');
    expect(own.body).toBe(stickyBody(MARK, 'new'));
    expect(api.calls.filter((c) => c.name === 'issueComments').map((c) => c.args[1])).toEqual([1, 2, 3]);
  });

  it('matches the author case-insensitively and takes the oldest of duplicates', async () => {
    const api = new MemoryGitHub();
    const oldest = api.addComment(7, 'GitHub-Actions[bot]', stickyBody(MARK, 'a'));
    const newer = api.addComment(7, 'github-actions[bot]', stickyBody(MARK, 'b'));
    expect((await findOwnComment(api, 7, MARK, 'github-actions[bot]'))?.id).toBe(oldest.id);
    await upsertSticky(api, options('c'));
    expect(oldest.body).toContain('c');
    expect(newer.body).toContain('b');
  });

  it('returns a failure instead of throwing when the token cannot write', async () => {
    const api = new MemoryGitHub();
    api.failWrites = true;
    const result = await upsertSticky(api, options('x'));
    expect(result.action).toBe('failed');
    expect(result.action === 'failed' && (result.error as { status?: number }).status).toBe(403);
  });

  it('refuses a body over the limit without calling GitHub', async () => {
    const api = new MemoryGitHub();
    const result = await upsertSticky(api, options('x'.repeat(70_000)));
    expect(result.action).toBe('failed');
    expect(api.calls).toEqual([]);
  });
});
