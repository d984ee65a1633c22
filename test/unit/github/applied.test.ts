/** The status line a merged pull request's plan comment gets after the apply, and the run link rule. */
import { describe, expect, it } from 'vitest';
import { markPullRequest, STATUS_MARK, statusLine, withStatus } from '../../../src/github/applied.ts';
import { sameBody, upsertSticky } from '../../../src/github/sticky.ts';
import { MemoryGitHub } from './helpers.ts';

const MARK = '<!-- autoscale-gitops plan: clusters -->';
const RUN = (id: number) => `https://github.com/acme/infra/actions/runs/${id}`;
const BODY = `${MARK}\n**Plan: 1 to update**\n<sub>autoscale-gitops · \`clusters\` · commit \`1111111\` · [workflow run](${RUN(1)})</sub>`;

describe('the status line', () => {
  it('says applied or failed, with the run and the commit', () => {
    expect(statusLine({ ok: true, counts: 'Apply: 2 applied', commit: 'abcdef0123', runUrl: RUN(7) })).toBe(
      `**✅ Applied** in [workflow run](${RUN(7)}) at commit \`abcdef0\`: Apply: 2 applied ${STATUS_MARK}`,
    );
    expect(statusLine({ ok: false, counts: 'Apply: 1 applied, 1 failed' })).toBe(
      `**❌ Apply failed** after the merge: Apply: 1 applied, 1 failed ${STATUS_MARK}`,
    );
  });

  it('goes under the marker, and replaces an earlier one instead of stacking', () => {
    const once = withStatus(BODY, MARK, `first ${STATUS_MARK}`);
    expect(once.split('\n').slice(0, 3)).toEqual([MARK, `first ${STATUS_MARK}`, '']);
    const twice = withStatus(once, MARK, `second ${STATUS_MARK}`);
    expect(twice).toBe(withStatus(BODY, MARK, `second ${STATUS_MARK}`));
    expect(withStatus('no marker here', MARK, 'x')).toBe('no marker here');
  });
});

describe('marking the merged pull request', () => {
  it('finds the merged pull request into the branch, and edits only its own plan comment', async () => {
    const api = new MemoryGitHub();
    api.pulls.push(
      { sha: 'f00', number: 3, mergedAt: null, base: 'main' },
      { sha: 'f00', number: 4, mergedAt: '2030-01-01T00:00:00Z', base: 'release' },
      { sha: 'f00', number: 7, mergedAt: '2030-01-01T00:00:00Z', base: 'main' },
    );
    const quoted = api.addComment(7, 'mallory', BODY);
    const own = api.addComment(7, 'github-actions[bot]', BODY);
    const status = { ok: true, counts: 'Apply: 1 applied', runUrl: RUN(9) };
    const options = { sha: 'f00', base: 'main', marker: MARK, author: 'github-actions[bot]', status };
    const result = await markPullRequest(api, options);
    expect(result).toMatchObject({ action: 'marked', pull: 7 });
    expect(own.body).toBe(withStatus(BODY, MARK, statusLine(status)));
    expect(quoted.body).toBe(BODY);
    expect(await markPullRequest(api, options)).toMatchObject({ action: 'unchanged', pull: 7 });
    expect(await markPullRequest(api, { ...options, sha: 'bad' })).toEqual({
      action: 'none',
      why: 'no pull request merged into main brings this commit',
    });
  });
});

describe('the comparison that decides an edit', () => {
  it('ignores the run links and nothing else', () => {
    expect(sameBody(BODY, BODY.replace(RUN(1), RUN(2)))).toBe(true);
    expect(sameBody(BODY, BODY.replace(RUN(1), `${RUN(1)}/attempts/2`))).toBe(true);
    expect(sameBody(BODY, BODY.replace('1 to update', '2 to update'))).toBe(false);
    expect(sameBody(BODY, BODY.replace(RUN(1), 'https://github.com/acme/infra/blob/abc/x.yml'))).toBe(false);
  });

  it('with createIfMissing false, creates nothing but still updates a comment that is there', async () => {
    const api = new MemoryGitHub();
    const options = { issue: 7, marker: MARK, body: 'No changes.', author: 'github-actions[bot]' };
    expect(await upsertSticky(api, { ...options, createIfMissing: false })).toEqual({ action: 'skipped' });
    expect(api.comments).toEqual([]);
    api.addComment(7, 'github-actions[bot]', `${MARK}\nPlan: 1 to update`);
    expect(await upsertSticky(api, { ...options, createIfMissing: false })).toMatchObject({
      action: 'updated',
    });
    expect(api.comments[0]?.body).toBe(`${MARK}\nNo changes.`);
  });
});
