import { describe, expect, it } from 'vitest';
import { reportFailure, reportRecovery } from '../../../src/github/failure-issue.ts';
import { marker } from '../../../src/github/sticky.ts';
import { MemoryGitHub } from './helpers.ts';

const MARK = marker('failure', 'clusters');
const base = { label: 'autoscale-failure', marker: MARK, author: 'github-actions[bot]' };

describe('failure issue', () => {
  it('opens one issue on the first failure and updates it with later ones', async () => {
    const api = new MemoryGitHub();
    const first = await reportFailure(api, { ...base, title: 'apply failing', body: 'run 1 failed' });
    expect(first.action).toBe('opened');
    expect(api.issues).toHaveLength(1);
    expect(api.issues[0]).toMatchObject({ labels: ['autoscale-failure'], body: `${MARK}\nrun 1 failed` });

    const second = await reportFailure(api, { ...base, title: 'apply failing', body: 'run 2 failed' });
    expect(second.action).toBe('updated');
    expect(api.issues).toHaveLength(1);
    expect(api.issues[0]?.body).toBe(`${MARK}\nrun 2 failed`);

    api.calls.length = 0;
    const third = await reportFailure(api, { ...base, title: 'apply failing', body: 'run 2 failed' });
    expect(third.action).toBe('unchanged');
    expect(api.names()).toEqual(['openIssues']);
  });

  it('comments and closes it after a clean run, and does nothing when none is open', async () => {
    const api = new MemoryGitHub();
    await reportFailure(api, { ...base, title: 'apply failing', body: 'failed' });
    const closed = await reportRecovery(api, { ...base, comment: 'fixed' });
    expect(closed.action).toBe('closed');
    expect(api.issues[0]?.state).toBe('closed');
    expect(api.comments.map((c) => [c.issue, c.body])).toEqual([[1, 'fixed']]);

    api.calls.length = 0;
    expect((await reportRecovery(api, { ...base, comment: 'fixed' })).action).toBe('none');
    expect(api.names()).toEqual(['openIssues']);
  });

  it('never edits or closes an issue somebody else opened with the label and marker', async () => {
    const api = new MemoryGitHub();
    const theirs = api.addIssue('octocat', 'my notes', `${MARK}\nplease keep`, ['autoscale-failure']);
    expect((await reportRecovery(api, { ...base, comment: 'fixed' })).action).toBe('none');
    expect(theirs.state).toBe('open');
    const opened = await reportFailure(api, { ...base, title: 't', body: 'b' });
    expect(opened.action).toBe('opened');
    expect(theirs.body).toBe(`${MARK}\nplease keep`);
  });
});
