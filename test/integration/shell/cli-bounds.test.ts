/**
 * The bundled CLI's bounds: `--timeout` ends a run that would go on (nothing new starts, the
 * report says what was not done, exit 1), and `--out` is opened before anything reaches AWS.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { afterEach, describe, expect, it } from 'vitest';
import { startAwsProxy } from '../../support/aws-proxy.ts';
import { useMoto } from '../../support/moto.ts';
import { CLI, readText, runNode, workspace } from '../../support/run-bundle.ts';
import { createGroup, createTargetGroup, registerTargets } from '../../support/seed.ts';

const moto = useMoto();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const YAML = 'region: us-east-1\ngroups:\n  web:\n    min: 2\n    max: 5\n  api:\n    min: 1\n    max: 3\n';

async function sizes(name: string) {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const group = out.AutoScalingGroups?.[0];
  return { min: group?.MinSize, max: group?.MaxSize };
}

async function seedDrift(): Promise<void> {
  await createGroup(moto.clients(), 'web', { min: 1, max: 4, desired: 1 });
  await createGroup(moto.clients(), 'api', { min: 1, max: 2, desired: 1 });
}

async function proxy(latencyMs = 0) {
  const started = await startAwsProxy({ target: moto.endpoint, latencyMs });
  closers.push(() => started.close());
  return started;
}

describe('--out', () => {
  it('a folder that does not exist fails the apply before any AWS call', async () => {
    await seedDrift();
    const aws = await proxy();
    const cwd = await workspace({ 'clusters/web.yml': YAML });
    const result = await runNode(CLI, ['apply', '--auto-approve', '--out', 'missing/plan.txt'], {
      cwd,
      env: { ...moto.env(), AWS_ENDPOINT_URL: aws.endpoint } as Record<string, string>,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--out missing/plan.txt cannot be written (ENOENT)');
    expect(aws.stats().totalRequests).toBe(0);
    // The same run with a folder that exists reaches AWS through the proxy: the count can fail.
    const control = await runNode(CLI, ['plan', '--out', 'plan.txt'], {
      cwd,
      env: { ...moto.env(), AWS_ENDPOINT_URL: aws.endpoint } as Record<string, string>,
    });
    expect(control.code).toBe(0);
    expect(aws.stats().totalRequests).toBeGreaterThan(0);
    expect(await sizes('web')).toEqual({ min: 1, max: 4 });
  });

  it('a folder that exists gets the rendered apply', async () => {
    await seedDrift();
    const cwd = await workspace({ 'clusters/web.yml': YAML, 'out/.keep': '' });
    const result = await runNode(
      CLI,
      ['apply', '--auto-approve', '--format', 'json', '--out', 'out/apply.json'],
      {
        cwd,
        env: moto.env() as Record<string, string>,
      },
    );
    expect(result.code).toBe(0);
    const written = JSON.parse(await readText(`${cwd}/out/apply.json`));
    expect(written).toEqual(JSON.parse(result.stdout));
    expect(written.changes.map((c: { result: string }) => c.result)).toEqual(['applied', 'applied']);
  });
});

describe('--timeout', () => {
  it('past the timeout no change starts: each is reported as not started, AWS is unchanged, exit 1', async () => {
    await seedDrift();
    // Every request takes 1.5 s, so the first read alone outlasts a 1 s timeout: the plan is
    // made, but no change may start.
    const aws = await proxy(1500);
    const cwd = await workspace({ 'clusters/web.yml': YAML });
    const result = await runNode(CLI, ['apply', '--auto-approve', '--timeout', '1s', '--format', 'json'], {
      cwd,
      env: { ...moto.env(), AWS_ENDPOINT_URL: aws.endpoint } as Record<string, string>,
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        message:
          "the run's timeout (1s) passed while reading AWS: what was not read is unknown, and no change is applied this run",
      }),
    );
    const updates = report.changes.filter((c: { type: string }) => c.type === 'autoscaling_group');
    expect(updates).toHaveLength(2);
    for (const change of updates) {
      expect(change).toMatchObject({
        result: 'skipped',
        why: "the run's timeout (1s) passed before it started",
      });
    }
    expect(await sizes('web')).toEqual({ min: 1, max: 4 });
    expect(await sizes('api')).toEqual({ min: 1, max: 2 });
    expect(
      Object.entries(aws.stats().requests).filter(([operation]) => operation.includes('Update')),
    ).toEqual([]);
  });

  it('past the timeout no AWS request starts: what depends on one is unknown, and nothing is pruned from it', async () => {
    const clients = moto.clients();
    const arn = await createTargetGroup(clients, 'web', { port: 80 });
    await createGroup(clients, 'web', { min: 1, max: 1, desired: 1 });
    await registerTargets(clients, arn, [{ Id: 'i-0123456789abcdef0', Port: 80 }]);
    // Reads chain: the group and the target group first, then (after 1.5 s) its targets, then
    // (after 3 s at the earliest) EC2 about the stray one: past the 2 s timeout, never sent.
    const aws = await proxy(1500);
    const cwd = await workspace({
      'clusters/web.yml': `region: us-east-1\ngroups:\n  web:\n    target_groups: [${arn}]\nprune: { target_groups: true, max: 100% }\n`,
    });
    const result = await runNode(CLI, ['plan', '--timeout', '2s', '--format', 'json'], {
      cwd,
      env: { ...moto.env(), AWS_ENDPOINT_URL: aws.endpoint } as Record<string, string>,
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.changes.filter((c: { action: string }) => c.action === 'deregister')).toEqual([]);
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining(
          "(the run's timeout (2s) passed: EC2:DescribeInstances not started)",
        ),
      }),
    );
    expect(aws.stats().requests['EC2:DescribeInstances']).toBeUndefined();
    expect(aws.stats().requests['ELBv2:DescribeTargetHealth']).toBe(1);
  });

  it('ends a registry command still running at the timeout: the registry is unknown, nothing is pruned', async () => {
    const cwd = await workspace({
      'clusters/web.yml': [
        'region: us-east-1',
        'prune:',
        '  registries:',
        '    slow:',
        '      list: { command: "sleep 120; echo []" }',
        '      delete: { command: "echo {id}" }',
        '      instance: "(i-[0-9a-f]+)"',
        '',
      ].join('\n'),
    });
    const started = Date.now();
    const result = await runNode(CLI, ['plan', '--timeout', '2s', '--format', 'json'], {
      cwd,
      env: moto.env() as Record<string, string>,
    });
    // Without the deadline the command's own 60 s timeout would end it: well past this bound.
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.changes).toEqual([]);
    expect(report.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(
      /registry slow could not be listed \(the command was aborted: the run's timeout \(2s\) passed\); none of its entries is deleted/,
    );
  });

  it('refuses a timeout that is not a positive duration', async () => {
    const cwd = await workspace({ 'clusters/web.yml': YAML });
    for (const bad of ['0', 'soon', '-5m']) {
      const result = await runNode(CLI, ['plan', `--timeout=${bad}`], {
        cwd,
        env: moto.env() as Record<string, string>,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `--timeout must be a positive duration such as 90s, 10m or 1h, not "${bad}"`,
      );
    }
  });
});
