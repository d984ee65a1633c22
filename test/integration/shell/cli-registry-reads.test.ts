/**
 * The bundled CLI's `apply --auto-approve` when a registry cannot be read (a wrong token: HTTP
 * 401): nothing of that registry is deleted, every other change is applied (a group's size, the
 * other registry's prune), and then the run exits 1 with the reason on stdout (the plan) and
 * stderr. With `optional: true` on the registry the same run is a warning and exits 0.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpRegistry, startHttpRegistry } from '../../fixtures/registry/http-registry.ts';
import { useMoto } from '../../support/moto.ts';
import { CLI, runNode, workspace } from '../../support/run-bundle.ts';
import { createGroup, runInstances } from '../../support/seed.ts';

const moto = useMoto();
const SCRIPT = resolve('test/fixtures/registry/registry.mjs');
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

interface Setup {
  readonly cwd: string;
  readonly chef: HttpRegistry;
  readonly gone: string;
  readonly alive: string;
  readonly saltState: string;
}

async function setup(chefExtra = ''): Promise<Setup> {
  const clients = moto.clients();
  await createGroup(clients, 'web-asg', { min: 1, max: 3, desired: 1 });
  const [gone, alive] = (await runInstances(clients, 2)).map((i) => i.InstanceId ?? '');
  if (gone === undefined || alive === undefined) throw new Error('no instances');
  await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
  const chef = await startHttpRegistry('the-right-token', [{ name: gone }, { name: alive }]);
  cleanup.push(() => chef.close());
  const cwd = await workspace({
    'clusters/web.yml': `region: us-east-1
groups:
  web-asg:
    min: 1
    max: 4
prune:
  grace: 0s # the instance was terminated a moment ago
  max: 100%
  registries:
    chef:
      list: { url: "${chef.url}/nodes", items: rows, id: name, headers: { Authorization: "Bearer \${CHEF_TOKEN}" } }
      delete: { url: "${chef.url}/nodes/{id}", headers: { Authorization: "Bearer \${CHEF_TOKEN}" } }
${chefExtra}    salt:
      list: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' list", items: [minions, minions_pre] }
      delete: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' delete {id}" }
`,
  });
  cleanup.push(() => rm(cwd, { recursive: true, force: true }));
  const saltState = join(cwd, 'salt.json');
  await writeFile(saltState, JSON.stringify({ minions: [alive], minions_pre: [gone], deleted: [] }));
  return { cwd, chef, gone, alive, saltState };
}

function apply(s: Setup) {
  return runNode(CLI, ['apply', '--auto-approve'], {
    cwd: s.cwd,
    env: {
      ...(moto.env() as Record<string, string>),
      CHEF_TOKEN: 'a-wrong-token',
      NODE: process.execPath,
      SCRIPT,
      STATE: s.saltState,
    },
  });
}

async function maxOf(name: string): Promise<number | undefined> {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  return out.AutoScalingGroups?.[0]?.MaxSize;
}

const REASON =
  /registry chef could not be listed \(GET http:\/\/127\.0\.0\.1:\d+\/nodes: HTTP 401 Unauthorized\); none of its entries is deleted this run/;

describe('apply when a registry cannot be read', () => {
  it('applies everything else, deletes nothing from it, then exits 1 with the reason', async () => {
    const s = await setup();
    const result = await apply(s);
    expect(result.code).toBe(1);
    // The reason: in the rendered plan (stdout) and on stderr, pinned to the registry's line.
    expect(result.stdout).toMatch(/^No changes|^Plan: /);
    expect(result.stdout).toMatch(/Errors:\n {2}clusters\/web\.yml:10: registry chef could not be listed/);
    expect(result.stderr).toMatch(
      new RegExp(`^autoscale-gitops: error: clusters/web\\.yml:10: ${REASON.source}$`, 'm'),
    );
    // Everything else was applied: the group's size and the other registry's prune.
    expect(result.stdout).toContain('Apply: 2 applied, 0 failed, 0 skipped.');
    expect(await maxOf('web-asg')).toBe(4);
    const salt = JSON.parse(await readFile(s.saltState, 'utf8'));
    expect(salt.minions).toEqual([s.alive]);
    expect(salt.minions_pre).toEqual([]);
    // Nothing of the unreadable registry was touched.
    expect(s.chef.requests.map((r) => r.method)).toEqual(['GET']);
    expect([...s.chef.nodes.keys()].sort()).toEqual([s.gone, s.alive].sort());
  });

  it('optional: true makes it a warning: the same run exits 0', async () => {
    const s = await setup('      optional: true\n');
    const result = await apply(s);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      new RegExp(
        `Warnings:\\n(?: {2}.*\\n)* {2}clusters/web\\.yml:10: ${REASON.source} \\(optional: not an error\\)`,
      ),
    );
    expect(result.stdout).not.toContain('Errors:');
    expect(await maxOf('web-asg')).toBe(4);
    expect(s.chef.nodes.size).toBe(2);
  });
});
