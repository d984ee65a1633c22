/**
 * The bundled Action on pull requests: the sticky plan comment's life (created, updated in place,
 * left alone), a plan too long for one comment, forks, missing AWS credentials, and secrets.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../../support/github-server.ts';
import { useMoto } from '../../support/moto.ts';
import { readText, workspace } from '../../support/run-bundle.ts';
import { createGroup } from '../../support/seed.ts';
import { PR_NUMBER, pullRequestPayload, REPOSITORY, readJson, runAction, TOKEN } from './harness.ts';

const moto = useMoto();
let github: FakeGitHub;
let cwd: string;

beforeEach(async () => {
  github = await startFakeGitHub({ repository: REPOSITORY });
  github.addIssue({ number: PR_NUMBER, title: 'Scale the web tier', pullRequest: true, login: 'alice' });
});
afterEach(async () => {
  await github.close();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

const MARKER = '<!-- autoscale-gitops plan: clusters -->';

function webYaml(max: number): string {
  return `groups:\n  web-asg:\n    min: 1\n    max: ${max}\n`;
}

function prRun(
  sha: string,
  extra: { env?: NodeJS.ProcessEnv; headRepo?: string; event?: string; inputs?: Record<string, string> } = {},
) {
  return runAction({
    cwd,
    event: extra.event ?? 'pull_request',
    payload: pullRequestPayload({
      sha,
      ...(extra.headRepo === undefined ? {} : { headRepo: extra.headRepo }),
    }),
    ref: `refs/pull/${PR_NUMBER}/merge`,
    sha: 'e'.repeat(40),
    githubUrl: github.url,
    env: extra.env ?? moto.env({}),
    ...(extra.inputs === undefined ? {} : { inputs: extra.inputs }),
  });
}

/** The writes the Action made, as `METHOD path`. */
function writes(): string[] {
  return github.writes().map((r) => `${r.method} ${r.path}`);
}

describe('the plan comment on a pull request', () => {
  it('is created once, updated in place when the plan changes, and left alone when it does not', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    // A long thread: the plan comment ends up on the second page of comments.
    for (let i = 0; i < 150; i++) github.addComment(PR_NUMBER, 'alice', `review comment ${i}`);
    // Somebody quoting the marker: never edited.
    const quoted = github.addComment(PR_NUMBER, 'mallory', `${MARKER}\nI can write markers too`);

    const first = await prRun('1'.repeat(40));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(writes()).toEqual([`POST /repos/${REPOSITORY}/issues/${PR_NUMBER}/comments`]);
    const mine = github.comments.filter((c) => c.login === 'github-actions[bot]');
    expect(mine).toHaveLength(1);
    const comment = mine[0];
    if (comment === undefined) throw new Error('no comment');
    const lines = comment.body.split('\n');
    expect(lines[0]).toBe(MARKER);
    expect(lines[1]).toBe('**Plan: 1 to update**');
    expect(lines[2]).toBe(
      `<sub>autoscale-gitops · \`clusters\` · commit \`1111111\` · [workflow run](https://github.com/${REPOSITORY}/actions/runs/${first.runId})</sub>`,
    );
    expect(comment.body).toContain(
      '<summary><b>web</b> · <code>clusters/web.yml</code> · 1 to update</summary>',
    );
    // The YAML line, linked at the pull request's head commit.
    expect(comment.body).toContain(
      `| ~ update | \`web-asg\` | autoscaling_group | max 2 → 3 | [clusters/web.yml:2](https://github.com/${REPOSITORY}/blob/${'1'.repeat(40)}/clusters/web.yml#L2) |`,
    );
    expect(first.outputs).toMatchObject({
      'has-changes': 'true',
      changes: '1',
      'comment-url': `https://github.example/${REPOSITORY}/pull/${PR_NUMBER}#issuecomment-${comment.id}`,
    });
    const plan = await readJson(first.outputs['plan-json'] ?? '');
    expect(plan).toMatchObject({
      format: 1,
      summary: { update: 1 },
      changes: [{ address: 'web/groups/web-asg' }],
    });
    expect(first.summary.split('\n')[0]).toBe('**Plan: 1 to update**');
    expect(first.summary).toContain('max 2 → 3');
    // Identity: GET /user (403 for the workflow token), then the thread, two pages of it.
    const reads = github.requests
      .filter((r) => r.method === 'GET')
      .map((r) => `${r.path} ${r.query.page ?? ''}`);
    expect(reads).toEqual([
      '/user ',
      `/repos/${REPOSITORY}/issues/${PR_NUMBER}/comments `,
      `/repos/${REPOSITORY}/issues/${PR_NUMBER}/comments 2`,
    ]);
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);

    // The config changes: the same comment is edited.
    github.clearRequests();
    cwd = await rewrite(cwd, 'clusters/web.yml', webYaml(5));
    const second = await prRun('2'.repeat(40));
    expect(second.code).toBe(0);
    expect(writes()).toEqual([`PATCH /repos/${REPOSITORY}/issues/comments/${comment.id}`]);
    expect(github.comments.filter((c) => c.login === 'github-actions[bot]')).toHaveLength(1);
    expect(comment.body).toContain('max 2 → 5');
    expect(comment.body).toContain('commit `2222222`');
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url']);

    // Nothing new: no write at all, though this run's link differs from the one in the comment.
    github.clearRequests();
    const third = await prRun('2'.repeat(40));
    expect(third.code).toBe(0);
    expect(third.runId).not.toBe(second.runId);
    expect(comment.body).toContain(`/actions/runs/${second.runId})`);
    expect(writes()).toEqual([]);
    expect(third.log).toContain('plan comment unchanged');
    expect(third.outputs['comment-url']).toBe(first.outputs['comment-url']);
    expect(quoted.body).toBe(`${MARKER}\nI can write markers too`);
  });

  it('with a GitHub App token, says how to make the comment sticky, and then keeps it so', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    github.set({ tokenLogin: 'deploy-bot[bot]', userLogin: null });
    const first = await prRun('1'.repeat(40));
    expect(first.code).toBe(0);
    expect(first.log).toContain(
      '::warning::the plan comment was written as deploy-bot[bot], not github-actions[bot]: set the comment-author input to deploy-bot[bot]',
    );
    github.clearRequests();
    cwd = await rewrite(cwd, 'clusters/web.yml', webYaml(4));
    const second = await prRun('2'.repeat(40), { inputs: { 'comment-author': 'deploy-bot[bot]' } });
    expect(second.code).toBe(0);
    expect(writes()).toEqual([`PATCH /repos/${REPOSITORY}/issues/comments/${github.comments.at(-1)?.id}`]);
    expect(github.requests.map((r) => r.path)).not.toContain('/user');
    expect(second.log).not.toContain('::warning::');
  });

  it('says "No changes" when AWS already matches', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 3, desired: 1 });
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    const run = await prRun('3'.repeat(40));
    expect(run.code).toBe(0);
    expect(github.comments[0]?.body.split('\n')[1]).toBe('**No changes.**');
    expect(run.outputs).toMatchObject({ 'has-changes': 'false', changes: '0' });
  });

  it('shows validation errors in the comment and fails the check', async () => {
    cwd = await workspace({ 'clusters/web.yml': 'groups:\n  web-asg:\n    min: 3\n    max: 1\n' });
    const run = await prRun('4'.repeat(40));
    expect(run.code).toBe(1);
    const body = github.comments[0]?.body ?? '';
    expect(body.split('\n')[1]).toBe('**❌ Configuration invalid: 1 error. Nothing was planned.**');
    expect(body).toMatch(/\| ❌ \| `clusters\/web\.yml:4:\d+` \| max \(1\) is below min \(3\) \|/);
    expect(run.log).toMatch(/^::error title=autoscale-gitops,file=clusters\/web\.yml,line=4/m);
    expect(run.outputs).toMatchObject({ 'has-changes': 'false', changes: '0', 'plan-json': '' });
  });

  it('cuts a plan too long for one comment at a section boundary and points to the job summary', async () => {
    // 2,000 groups the YAML creates: a plan of about a megabyte of Markdown.
    const groups = Array.from(
      { length: 2_000 },
      (_, i) =>
        `  web-${String(i).padStart(4, '0')}:\n    min: 1\n    max: 4\n    desired: 2\n` +
        '    launch_template: { name: web-template, version: $Latest }\n' +
        '    availability_zones: [us-east-1a, us-east-1b, us-east-1c]\n',
    );
    cwd = await workspace({ 'clusters/web.yml': `groups:\n${groups.join('')}` });
    const run = await prRun('5'.repeat(40));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const body = github.comments[0]?.body ?? '';
    expect(body.length).toBeLessThan(65_536);
    expect(Buffer.byteLength(body)).toBeLessThan(65_536);
    expect(body.split('\n')[1]).toBe('**Plan: 2000 to create**');
    expect(body.match(/<details>/g)?.length).toBe(body.match(/<\/details>/g)?.length);
    expect((body.match(/^`{3,}/gm)?.length ?? 0) % 2).toBe(0);
    const runUrl = `https://github.com/${REPOSITORY}/actions/runs/`;
    expect(body).toMatch(
      new RegExp(
        `changes\\) not shown here: .*The full plan is in the \\[job summary\\]\\(${runUrl}\\d+\\)\\.`,
      ),
    );
    // The summary holds much more (GitHub's limit there is 1 MiB), the JSON all of it.
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1_048_576);
    expect(run.summary.length).toBeGreaterThan(body.length * 5);
    const plan = await readJson(run.outputs['plan-json'] ?? '');
    expect((plan.changes as unknown[]).length).toBe(2_000);
    expect(run.outputs.changes).toBe('2000');
  });
});

describe('a pull request from a fork', () => {
  it('is validated, not planned, and a read-only token is not an error', async () => {
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    github.set({ readOnly: true });
    // No AWS environment at all: a fork's run has none, and nothing may try to reach AWS.
    const run = await prRun('6'.repeat(40), { headRepo: 'mallory/infra', env: {} });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.log).not.toMatch(/^\s+at /m); // no stack trace
    expect(run.summary.split('\n')[0]).toBe(
      '**⏭️ Plan skipped: pull request from a fork. Configuration valid.**',
    );
    expect(run.summary).toContain('comes from a fork (mallory/infra)');
    expect(run.log).toContain('::notice::This pull request comes from a fork (mallory/infra)');
    expect(run.log).toMatch(/::warning::could not post the plan comment: HTTP 403: .*read-only token/);
    expect(writes()).toEqual([`POST /repos/${REPOSITORY}/issues/${PR_NUMBER}/comments`]);
    expect(run.outputs).toMatchObject({ 'has-changes': 'false', changes: '0', 'comment-url': '' });
  });

  it('gets the message as its comment when the token can write (pull_request_target)', async () => {
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    const run = await prRun('6'.repeat(40), {
      headRepo: 'mallory/infra',
      env: moto.env({}),
      event: 'pull_request_target',
    });
    expect(run.code).toBe(0);
    const body = github.comments[0]?.body ?? '';
    expect(body.split('\n')[1]).toBe('**⏭️ Plan skipped: pull request from a fork. Configuration valid.**');
    expect(body).toContain('validated but not planned');
  });

  it('still fails on invalid configuration', async () => {
    cwd = await workspace({ 'clusters/web.yml': 'groups:\n  web-asg:\n    min: 3\n    max: 1\n' });
    github.set({ readOnly: true });
    const run = await prRun('6'.repeat(40), { headRepo: 'mallory/infra', env: {} });
    expect(run.code).toBe(1);
    expect(run.log).toMatch(/^::error title=autoscale-gitops,file=clusters\/web\.yml,line=4/m);
  });
});

describe('a pull request without AWS credentials', () => {
  it('is validated with a clear message instead of failing on every AWS read', async () => {
    cwd = await workspace({ 'clusters/web.yml': webYaml(3) });
    const run = await prRun('7'.repeat(40), { env: {} });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.log).not.toMatch(/^\s+at /m);
    expect(run.summary.split('\n')[0]).toBe('**⏭️ Plan skipped: no AWS credentials. Configuration valid.**');
    expect(run.log).toMatch(/::warning::No AWS credentials are available to this job \(.+\)/);
    expect(github.comments[0]?.body).toContain('aws-actions/configure-aws-credentials');
  });
});

describe('secrets', () => {
  it('never appear in the comment, the summary, the outputs, the plan file or the log', async () => {
    const secret = 'tmpl-5ecr3t-from-env-0042';
    cwd = await workspace({
      'clusters/web.yml':
        'groups:\n  web-asg:\n    min: 1\n    max: 2\n' +
        '    launch_template: { name: "${LT_NAME}", version: $Latest }\n' +
        '    availability_zones: [us-east-1a]\n',
    });
    const run = await prRun('8'.repeat(40), { env: { ...moto.env({}), LT_NAME: secret } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`::add-mask::${secret}`);
    const body = github.comments[0]?.body ?? '';
    expect(body).toContain('created from launch template \\*\\*\\*');
    const planFile = await readText(run.outputs['plan-json'] ?? '');
    expect(planFile).toContain('"name": "***"');
    const places = {
      body,
      summary: run.summary,
      outputs: JSON.stringify(run.outputs),
      planFile,
      log: run.log,
      stderr: run.stderr,
    };
    for (const [where, text] of Object.entries(places)) {
      expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
    }
    const requests = JSON.stringify(github.requests.map((r) => r.body));
    expect(requests).not.toContain(secret);
  });
});

async function rewrite(dir: string, path: string, text: string): Promise<string> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, path), text);
  return dir;
}
