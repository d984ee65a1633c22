/**
 * The plan comment across a pull request's life, with the bundled Action and CLI against moto and
 * the local GitHub server: `plan --format markdown` prints the very comment; `comment:
 * changes-only` posts nothing for an empty plan; after the merge, the apply on the default branch
 * marks the merged pull request's comment applied (or failed) with the run's link.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../../support/github-server.ts';
import { useMoto } from '../../support/moto.ts';
import { CLI, runNode, workspace } from '../../support/run-bundle.ts';
import { createGroup } from '../../support/seed.ts';
import { PR_NUMBER, pullRequestPayload, pushPayload, REPOSITORY, runAction } from './harness.ts';

const moto = useMoto();
let github: FakeGitHub;
let cwd: string;

const HEAD = '1'.repeat(40);
const MERGE = 'f'.repeat(40);
const MARKER = '<!-- autoscale-gitops plan: clusters -->';

beforeEach(async () => {
  github = await startFakeGitHub({ repository: REPOSITORY });
});
afterEach(async () => {
  await github.close();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

function webYaml(max: number, extra = ''): string {
  return `groups:\n  web-asg:\n    min: 1\n    max: ${max}\n${extra}`;
}

function prRun(inputs: Record<string, string> = {}, runId?: number) {
  return runAction({
    cwd,
    event: 'pull_request',
    payload: pullRequestPayload({ sha: HEAD }),
    ref: `refs/pull/${PR_NUMBER}/merge`,
    sha: 'e'.repeat(40),
    githubUrl: github.url,
    inputs,
    env: moto.env({}),
    ...(runId === undefined ? {} : { runId }),
  });
}

function pushRun(sha = MERGE) {
  return runAction({
    cwd,
    event: 'push',
    payload: pushPayload('refs/heads/main', sha),
    ref: 'refs/heads/main',
    sha,
    githubUrl: github.url,
    env: moto.env({}),
  });
}

function botComments() {
  return github.comments.filter((c) => c.login === 'github-actions[bot]');
}

describe('plan --format markdown', () => {
  it('prints the comment the Action posts for the same plan, byte for byte', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    github.addIssue({ number: PR_NUMBER, title: 'Scale the web tier', pullRequest: true });
    const run = await prRun({}, 4242);
    expect(run.code).toBe(0);
    const posted = botComments()[0]?.body ?? '';
    expect(posted.split('\n')[0]).toBe(MARKER);
    expect(posted).toContain('/actions/runs/4242)');

    // The CLI in the same workflow job: the same event and run variables, no GitHub token.
    const event = join(cwd, 'event.json');
    await writeFile(event, JSON.stringify(pullRequestPayload({ sha: HEAD })));
    const cli = await runNode(CLI, ['plan', '--format', 'markdown'], {
      cwd,
      env: {
        ...(moto.env({}) as Record<string, string>),
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_REPOSITORY: REPOSITORY,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_SHA: 'e'.repeat(40),
        GITHUB_RUN_ID: '4242',
        GITHUB_RUN_ATTEMPT: '1',
      },
    });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(posted.endsWith('\n') ? posted : `${posted}\n`);

    // On a laptop: the same comment, less the commit and the links only a workflow run has.
    const local = await runNode(CLI, ['plan', '--format', 'markdown'], {
      cwd,
      env: moto.env({}) as Record<string, string>,
    });
    expect(local.stdout).toContain(
      '| ~ update | `web-asg` | autoscaling_group | max 2 → 3 | clusters/web.yml:2 |',
    );
    expect(local.stdout).not.toContain('](http');
    const strip = (s: string) =>
      s
        .replace(/ · commit `[0-9a-f]{7}` · \[workflow run\]\([^)]*\)/, '')
        .replace(/\[(clusters\/web\.yml:\d+)\]\([^)]*\)/g, '$1');
    expect(local.stdout).toBe(strip(cli.stdout));
  });
});

describe('comment: changes-only', () => {
  it('posts nothing for an empty plan, and keeps a comment posted before up to date', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 3, desired: 1 });
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    const quiet = await prRun({ comment: 'changes-only' });
    expect(quiet.code).toBe(0);
    expect(github.writes()).toEqual([]);
    expect(quiet.log).toContain('no plan comment: the plan is empty and the comment input is changes-only');
    expect(quiet.summary.split('\n')[0]).toBe('**No changes.**');

    // A change: posted.
    await writeFile(join(cwd, 'clusters/web.yml'), webYaml(5));
    const changed = await prRun({ comment: 'changes-only' });
    expect(changed.code).toBe(0);
    expect(botComments()).toHaveLength(1);
    expect(botComments()[0]?.body).toContain('max 3 → 5');

    // Back to nothing to do: the comment says so rather than go on showing a stale change.
    await writeFile(join(cwd, 'clusters/web.yml'), webYaml(3));
    github.clearRequests();
    const back = await prRun({ comment: 'changes-only' });
    expect(back.code).toBe(0);
    expect(github.writes().map((r) => r.method)).toEqual(['PATCH']);
    expect(botComments()[0]?.body.split('\n')[1]).toBe('**No changes.**');
  });

  it('refuses a value it does not know', async () => {
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    const run = await prRun({ comment: 'sometimes' });
    expect(run.code).toBe(1);
    expect(run.log).toContain('input "comment" must be true, false or changes-only, not "sometimes"');
  });
});

describe('after the merge', () => {
  it("marks the merged pull request's plan comment applied, with the run's link, in place", async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    github.addIssue({ number: PR_NUMBER, title: 'Scale the web tier', pullRequest: true });
    // Another pull request that names the commit but was never merged: not the one.
    github.addIssue({ number: 3, title: 'Old try', pullRequest: true, commits: [MERGE] });
    const plan = await prRun();
    expect(plan.code).toBe(0);
    const comment = botComments()[0];
    if (comment === undefined) throw new Error('no plan comment');
    const planned = comment.body;
    const other = github.addComment(3, 'github-actions[bot]', `${MARKER}\nan older plan`);

    const pull = github.issues.find((i) => i.number === PR_NUMBER);
    if (pull === undefined) throw new Error('no pull request');
    Object.assign(pull, { commits: [HEAD, MERGE], mergedAt: '2030-01-02T03:04:05Z', state: 'closed' });
    github.clearRequests();
    const apply = await pushRun();
    expect(apply.code).toBe(0);
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toContain(
      `GET /repos/${REPOSITORY}/commits/${MERGE}/pulls`,
    );
    expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /repos/${REPOSITORY}/issues/comments/${comment.id}`,
    ]);
    const lines = comment.body.split('\n');
    expect(lines[0]).toBe(MARKER);
    expect(lines[1]).toBe(
      `**✅ Applied** in [workflow run](https://github.com/${REPOSITORY}/actions/runs/${apply.runId}) at commit \`fffffff\`: Apply: 1 applied <!-- autoscale-gitops status -->`,
    );
    expect(lines[2]).toBe('');
    // The plan itself is kept under the status.
    expect(lines.slice(3).join('\n')).toBe(planned.split('\n').slice(1).join('\n'));
    expect(other.body).toBe(`${MARKER}\nan older plan`);
    expect(apply.log).toContain(`plan comment of pull request #${PR_NUMBER} marked`);

    // A later apply of the same commit that fails replaces the status, it does not stack.
    await writeFile(
      join(cwd, 'clusters/web.yml'),
      webYaml(
        4,
        '  new-asg:\n    min: 0\n    max: 1\n    launch_template: { name: missing-lt, version: $Latest }\n    availability_zones: [us-east-1a]\n',
      ),
    );
    const failed = await pushRun();
    expect(failed.code).toBe(1);
    const again = comment.body.split('\n');
    expect(again[1]).toBe(
      `**❌ Apply failed** in [workflow run](https://github.com/${REPOSITORY}/actions/runs/${failed.runId}) at commit \`fffffff\`: Apply: 1 applied, 1 failed <!-- autoscale-gitops status -->`,
    );
    expect(again.filter((l) => l.endsWith('<!-- autoscale-gitops status -->'))).toHaveLength(1);
  });

  it('leaves every comment alone when no merged pull request brings the commit', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    github.addIssue({ number: PR_NUMBER, title: 'Open still', pullRequest: true, commits: [MERGE] });
    github.addComment(PR_NUMBER, 'github-actions[bot]', `${MARKER}\n**Plan: 1 to update**`);
    const apply = await pushRun();
    expect(apply.code).toBe(0);
    expect(github.writes()).toEqual([]);
    expect(apply.log).toContain(
      'no pull request comment marked: no pull request merged into main brings this commit',
    );
  });
});
