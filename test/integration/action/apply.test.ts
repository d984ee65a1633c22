/**
 * The bundled Action applying: only on the default branch (or what allow-apply-on names), the
 * scheduled run's summary and exit status, and the failure issue's life.
 */

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHttpRegistry } from '../../fixtures/registry/http-registry.ts';
import { type FakeGitHub, startFakeGitHub } from '../../support/github-server.ts';
import { useMoto } from '../../support/moto.ts';
import { workspace } from '../../support/run-bundle.ts';
import { createGroup } from '../../support/seed.ts';
import { pushPayload, REPOSITORY, readJson, runAction } from './harness.ts';

const moto = useMoto();
let github: FakeGitHub;
let cwd: string;

beforeEach(async () => {
  github = await startFakeGitHub({ repository: REPOSITORY });
});
afterEach(async () => {
  await github.close();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

const WEB = 'groups:\n  web-asg:\n    min: 1\n    max: 3\n';

async function maxOf(name: string): Promise<number | undefined> {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  return out.AutoScalingGroups?.[0]?.MaxSize;
}

function dispatch(ref: string, inputs: Record<string, string> = {}) {
  return runAction({
    cwd,
    event: 'workflow_dispatch',
    payload: { ...pushPayload(ref, 'a'.repeat(40)), inputs: {} },
    ref,
    sha: 'a'.repeat(40),
    githubUrl: github.url,
    inputs,
    env: moto.env({}),
  });
}

function scheduled(env: NodeJS.ProcessEnv = {}, inputs: Record<string, string> = {}) {
  return runAction({
    cwd,
    event: 'schedule',
    // A schedule's payload names the cron and the workflow, not the repository.
    payload: { schedule: '*/15 * * * *', workflow: '.github/workflows/scheduled-apply.yml' },
    ref: 'refs/heads/main',
    sha: 'c'.repeat(40),
    githubUrl: github.url,
    inputs: { 'failure-issue': 'autoscale-gitops-failure', ...inputs },
    env: { ...moto.env({}), ...env },
  });
}

describe('apply and the ref it runs on', () => {
  it('refuses a branch other than the default one, before any AWS write', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    cwd = await workspace({ 'clusters/web.yml': WEB });
    const run = await dispatch('refs/heads/feature');
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      '::error::apply refused: feature is not the default branch (main). Merge to main first, or list the branch in the allow-apply-on input.',
    );
    expect(run.summary.split('\n')[0]).toBe('**❌ Apply refused.**');
    expect(await maxOf('web-asg')).toBe(2);
    expect(github.writes()).toEqual([]);
  });

  it('applies on a branch allow-apply-on names, and on the default branch', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    cwd = await workspace({ 'clusters/web.yml': WEB });
    const allowed = await dispatch('refs/heads/release/2030', { 'allow-apply-on': 'hotfix, release/*' });
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
    expect(allowed.log).toContain('apply allowed: release/2030 matches allow-apply-on "release/*"');
    expect(await maxOf('web-asg')).toBe(3);

    await writeFile(join(cwd, 'clusters/web.yml'), WEB.replace('max: 3', 'max: 4'));
    const main = await dispatch('refs/heads/main');
    expect(main.code).toBe(0);
    expect(main.log).toContain('apply allowed: main is the default branch');
    expect(await maxOf('web-asg')).toBe(4);
    expect(main.summary.split('\n')[0]).toBe('**Apply: 1 applied**');
    const json = await readJson(main.outputs['plan-json'] ?? '');
    expect(json.changes).toEqual([
      expect.objectContaining({ address: 'web/groups/web-asg', result: 'applied' }),
    ]);
    expect(main.outputs).toMatchObject({ 'has-changes': 'true', changes: '1', 'comment-url': '' });
  });
});

describe('scheduled apply', () => {
  it('fails on a failed change, keeps one failure issue up to date, and closes it after a clean run', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    const secret = 'tmpl-5ecr3t-0099';
    const broken =
      `${WEB}  new-asg:\n    min: 0\n    max: 1\n` +
      '    launch_template: { name: "${LT_NAME}", version: $Latest }\n    availability_zones: [us-east-1a]\n';
    cwd = await workspace({ 'clusters/web.yml': broken });

    const first = await scheduled({ LT_NAME: secret });
    expect(first.code).toBe(1);
    expect(first.log).toContain('::error::apply did not complete: 1 change(s) failed');
    expect(first.summary.split('\n')[0]).toBe('**❌ Apply: 1 applied, 1 failed**');
    expect(first.summary).toMatch(/\*\*❌ Failed \(1\)\*\*\n\n- `web\/groups\/new-asg`: .+/);
    expect(first.summary).toContain(
      `| ~ update | \`web-asg\` | autoscaling_group | max 2 → 3 | [clusters/web.yml:2](https://github.com/${REPOSITORY}/blob/${'c'.repeat(40)}/clusters/web.yml#L2) | applied |`,
    );
    expect(await maxOf('web-asg')).toBe(3);
    expect(github.issues).toHaveLength(1);
    const issue = github.issues[0];
    if (issue === undefined) throw new Error('no issue');
    expect(issue).toMatchObject({
      state: 'open',
      labels: ['autoscale-gitops-failure'],
      login: 'github-actions[bot]',
    });
    expect(issue.title).toBe('autoscale-gitops: apply failing for clusters');
    expect(issue.body.split('\n')[0]).toBe('<!-- autoscale-gitops failure: clusters -->');
    expect(issue.body).toContain(`[this run](https://github.com/${REPOSITORY}/actions/runs/`);
    expect(issue.body).toContain('`web/groups/new-asg`');
    for (const text of [issue.body, first.summary, first.log, first.stderr, JSON.stringify(first.outputs)]) {
      expect(text).not.toContain(secret);
    }

    // Still failing: the same issue gets the latest failure.
    github.clearRequests();
    const second = await scheduled({ LT_NAME: secret });
    expect(second.code).toBe(1);
    expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /repos/${REPOSITORY}/issues/${issue.number}`,
    ]);
    expect(github.issues).toHaveLength(1);
    expect(issue.body).toContain('/actions/runs/');
    expect(issue.body).not.toContain(secret);

    // Fixed: a clean run comments on the issue and closes it.
    github.clearRequests();
    await writeFile(join(cwd, 'clusters/web.yml'), WEB);
    const third = await scheduled();
    expect(third.code).toBe(0);
    expect(third.summary.split('\n')[0]).toBe('**No changes.**');
    expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /repos/${REPOSITORY}/issues/${issue.number}/comments`,
      `PATCH /repos/${REPOSITORY}/issues/${issue.number}`,
    ]);
    expect(issue).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(github.commentsOn(issue.number)[0]?.body).toMatch(/^✅ Apply succeeded again in \[this run\]/);

    // Clean again: nothing to close, nothing written.
    github.clearRequests();
    const fourth = await scheduled();
    expect(fourth.code).toBe(0);
    expect(github.writes()).toEqual([]);
  });

  it('a registry that cannot be read fails the run after the rest is applied, and opens the failure issue', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    const chef = await startHttpRegistry('the-right-token', [{ name: 'i-0123456789abcdef0' }]);
    try {
      const yaml = `${WEB}prune:
  registries:
    chef:
      list: { url: "${chef.url}/nodes", items: rows, id: name, headers: { Authorization: "Bearer \${CHEF_TOKEN}" } }
      delete: { url: "${chef.url}/nodes/{id}", headers: { Authorization: "Bearer \${CHEF_TOKEN}" } }
`;
      cwd = await workspace({ 'clusters/web.yml': yaml });
      const reason =
        /registry chef could not be listed \(GET http:\/\/127\.0\.0\.1:\d+\/nodes: HTTP 401 Unauthorized\); none of its entries is deleted this run/;
      const run = await scheduled({ CHEF_TOKEN: 'a-wrong-token-0099' });
      expect(run.code).toBe(1);
      expect(await maxOf('web-asg')).toBe(3);
      expect(chef.requests.map((r) => r.method)).toEqual(['GET']);
      expect(run.log).toMatch(
        new RegExp(
          `^::error::apply did not complete: 1 error\\(s\\) in the plan\\. clusters/web\\.yml:7: ${reason.source}$`,
          'm',
        ),
      );
      expect(run.summary.split('\n')[0]).toBe('**❌ Apply: 1 applied · 1 error**');
      expect(run.summary).toMatch(
        new RegExp(`\\*\\*❌ Errors \\(1\\)\\*\\*\\n\\n- clusters/web\\.yml:7: ${reason.source}`),
      );
      expect(github.issues).toHaveLength(1);
      expect(github.issues[0]?.body).toMatch(reason);
      expect(run.outputs).toMatchObject({ 'has-changes': 'true', changes: '1' });
    } finally {
      await chef.close();
    }
  });

  it('fails without AWS credentials, with a message and no stack trace', async () => {
    cwd = await workspace({ 'clusters/web.yml': WEB });
    const run = await runAction({
      cwd,
      event: 'schedule',
      payload: { schedule: '*/15 * * * *' },
      ref: 'refs/heads/main',
      sha: 'c'.repeat(40),
      githubUrl: github.url,
      env: {},
    });
    expect(run.code).toBe(1);
    expect(run.log).toMatch(/^::error::No AWS credentials are available to this job/m);
    expect(run.log).not.toMatch(/^\s+at /m);
  });
});
