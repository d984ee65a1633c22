/**
 * prune: against moto, a local HTTP registry (test/fixtures/registry/http-registry.ts) and a
 * command registry (test/fixtures/registry/registry.mjs, state in a JSON file).
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { UpdateContainerInstancesStateCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { applyExitCode } from '../../../src/pipeline.ts';
import { render } from '../../../src/render/index.ts';
import { type HttpRegistry, startHttpRegistry } from '../../fixtures/registry/http-registry.ts';
import { startAwsProxy } from '../../support/aws-proxy.ts';
import { useMoto } from '../../support/moto.ts';
import { createEcsCluster, registerContainerInstance } from '../../support/seed.ts';
import {
  actions,
  alarmNames,
  containerInstancesOf,
  instances,
  putInstanceAlarm,
  useHarness,
  warningsText,
} from './harness.ts';

const moto = useMoto();
const harness = useHarness(moto);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

const TOKEN = 'chef-token-do-not-print';
const SCRIPT = resolve('test/fixtures/registry/registry.mjs');

async function httpRegistry(nodes: Parameters<typeof startHttpRegistry>[1]): Promise<HttpRegistry> {
  const registry = await startHttpRegistry(TOKEN, nodes);
  cleanup.push(() => registry.close());
  return registry;
}

async function commandRegistry(
  minions: readonly string[],
): Promise<{ state: string; read: () => Promise<{ minions: string[]; deleted: string[][] }> }> {
  const state = join(tmpdir(), `salt-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(state, JSON.stringify({ minions, deleted: [] }));
  cleanup.push(() => rm(state, { force: true }));
  return { state, read: async () => JSON.parse(await readFile(state, 'utf8')) };
}

function chefYaml(url: string, extra = ''): string {
  return `region: us-east-1
prune:
  max: 100%
${extra}  registries:
    chef:
      list: { url: "${url}/nodes", items: rows, id: name, time: seen, headers: { Authorization: "Bearer \${CHEF_TOKEN}" } }
      delete: { method: DELETE, url: "${url}/nodes/{id}", headers: { Authorization: "Bearer \${CHEF_TOKEN}" } }
      instance: "^(?:web-)?(i-[0-9a-f]+)(?:\\\\.example\\\\.com)?$"
`;
}

const CHEF_ENV = { CHEF_TOKEN: TOKEN };

describe('prune: registries', () => {
  it('deletes entries of gone instances, keeps running ones, never touches entries that are not ours', async () => {
    const [gone, alive] = await instances(moto, 2, 1);
    const chef = await httpRegistry([
      { name: `web-${gone}.example.com` },
      { name: `${alive}` },
      { name: 'i-0123456789abcdef0' },
      { name: 'build-server' },
    ]);
    const { plan } = await harness.plan(chefYaml(chef.url), { env: CHEF_ENV });
    expect(actions(plan)).toEqual(
      [
        ['registry_entry', 'delete', `web-${gone}.example.com`],
        ['registry_entry', 'delete', 'i-0123456789abcdef0'],
      ].sort(),
    );
    const entry = plan.changes.find((c) => c.id === `web-${gone}.example.com`);
    expect(entry?.before).toMatchObject({ registry: 'chef', instance: gone, instance_state: 'terminated' });
    expect(entry?.reason).toMatch(new RegExp(`instance ${gone} is terminated since \\d{4}-`));
    expect(warningsText(plan)).toContain('registry chef: 1 of 4 entries do not name an instance');
    // The token reaches the registry and never the plan.
    expect(chef.requests[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    for (const format of ['text', 'json', 'markdown'] as const)
      expect(render(format, plan)).not.toContain(TOKEN);

    const run = await harness.apply(chefYaml(chef.url), { env: CHEF_ENV });
    expect(applyExitCode(run)).toBe(0);
    expect([...chef.nodes.keys()].sort()).toEqual([alive, 'build-server'].sort());
    expect(chef.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toContain(
      `/nodes/${encodeURIComponent(`web-${gone}.example.com`)}`,
    );
    expect((await harness.plan(chefYaml(chef.url), { env: CHEF_ENV })).plan.changes).toEqual([]);
  });

  it('respects grace: from EC2 time when it has one, else from the entry time', async () => {
    const [gone] = await instances(moto, 1, 1);
    const chef = await httpRegistry([
      { name: gone ?? '' },
      // EC2 does not know it: the entry's own time decides.
      { name: 'i-0123456789abcdef0', seen: new Date().toISOString() },
      { name: 'i-0123456789abcdef1', seen: Math.floor(Date.now() / 1000) - 3600 },
    ]);
    const soon = await harness.plan(chefYaml(chef.url), {
      env: CHEF_ENV,
      now: new Date(Date.now() + 60_000),
    });
    expect(actions(soon.plan)).toEqual([['registry_entry', 'delete', 'i-0123456789abcdef1']]);
    expect(warningsText(soon.plan)).toMatch(
      new RegExp(`instance ${gone} is terminated since .* ago: kept until grace \\(10m\\)`),
    );
    expect(warningsText(soon.plan)).toMatch(
      /i-0123456789abcdef0 is unknown to EC2 .*kept until it is older than grace/,
    );

    const later = await harness.plan(chefYaml(chef.url), {
      env: CHEF_ENV,
      now: new Date(Date.now() + 11 * 60_000),
    });
    expect(actions(later.plan)).toEqual(
      [gone ?? '', 'i-0123456789abcdef0', 'i-0123456789abcdef1']
        .map((id) => ['registry_entry', 'delete', id])
        .sort(),
    );
  });

  it('a registry answering 401 is an error: nothing of it is deleted, the other registry is pruned, apply exits 1', async () => {
    const [gone, alive] = await instances(moto, 2, 1);
    const chef = await httpRegistry([{ name: gone ?? '' }, { name: alive ?? '' }]);
    const salt = await commandRegistry([gone ?? '', alive ?? '']);
    const yaml = `${chefYaml(chef.url)}    salt:
      list: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' list", items: minions }
      delete: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' delete {id}" }
`;
    const env = { CHEF_TOKEN: 'a-wrong-token', NODE: process.execPath, SCRIPT, STATE: salt.state };
    const run = await harness.apply(yaml, { env });
    expect(actions(run.plan)).toEqual([['registry_entry', 'delete', gone]]);
    expect(run.plan.errors).toEqual([
      expect.objectContaining({
        address: 'web/prune/registries/chef',
        message: expect.stringMatching(
          /^registry chef could not be listed \(GET http:\/\/127\.0\.0\.1:\d+\/nodes: HTTP 401 Unauthorized\); none of its entries is deleted this run$/,
        ),
      }),
    ]);
    // Everything else is applied, then the run fails.
    expect(run.report?.applied).toBe(1);
    expect(applyExitCode(run)).toBe(1);
    expect((await salt.read()).minions).toEqual([alive]);
    expect(chef.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect([...chef.nodes.keys()].sort()).toEqual([gone, alive].sort());
    for (const format of ['text', 'json', 'markdown'] as const)
      expect(render(format, run.plan, run.report ?? undefined)).toMatch(
        /registry chef could not be listed \(GET http:\/\/127\.0\.0\.1:\d+\/nodes: HTTP 401 Unauthorized\)/,
      );
  });

  it('optional: true keeps an unreadable registry a warning, and apply exits 0', async () => {
    const [gone] = await instances(moto, 1, 1);
    const chef = await httpRegistry([{ name: gone ?? '' }]);
    chef.failList = true;
    const yaml = `${chefYaml(chef.url)}      optional: true\n`;
    const run = await harness.apply(yaml, { env: CHEF_ENV });
    expect(run.plan.changes).toEqual([]);
    expect(run.plan.errors).toEqual([]);
    expect(run.plan.warnings).toContainEqual(
      expect.objectContaining({
        address: 'web/prune/registries/chef',
        message: expect.stringMatching(
          /^registry chef could not be listed \(GET http:\/\/127\.0\.0\.1:\d+\/nodes: HTTP 500 Internal Server Error\); none of its entries is deleted this run \(optional: not an error\)$/,
        ),
      }),
    );
    expect(applyExitCode(run)).toBe(0);
    expect(chef.nodes.size).toBe(1);
  });

  it('a command registry with items [minions, minions_pre]: entries of both lists are judged; a missing list is an error', async () => {
    const [gone, goneToo, alive, pending] = await instances(moto, 4, 2);
    const salt = await commandRegistry([]);
    await writeFile(
      salt.state,
      JSON.stringify({
        minions: [gone, alive, 'master'],
        minions_pre: [goneToo, pending, alive],
        deleted: [],
      }),
    );
    const yaml = (items: string) => `region: us-east-1
prune:
  max: 100%
  registries:
    salt:
      list: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' list", items: ${items} }
      delete: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' delete {id}" }
`;
    const env = { NODE: process.execPath, SCRIPT, STATE: salt.state };
    // A list the output does not have: unknown, not empty; nothing of the registry goes.
    const missing = await harness.apply(yaml('[minions, minions_denied]'), { env });
    expect(missing.plan.changes).toEqual([]);
    expect(missing.plan.errors.map((e) => e.message)).toEqual([
      'registry salt could not be listed (RegistryFormatError: items (minions_denied) is missing, not a list or a map of ids); none of its entries is deleted this run',
    ]);
    expect(applyExitCode(missing)).toBe(1);
    expect((await salt.read()).deleted).toEqual([]);

    const run = await harness.apply(yaml('[minions, minions_pre]'), { env });
    expect(actions(run.plan)).toEqual(
      [
        ['registry_entry', 'delete', gone],
        ['registry_entry', 'delete', goneToo],
      ].sort(),
    );
    expect(run.plan.errors).toEqual([]);
    expect(applyExitCode(run)).toBe(0);
    const state = await salt.read();
    expect(state.minions).toEqual([alive, 'master']);
    expect((state as { minions_pre?: string[] }).minions_pre).toEqual([pending, alive]);
    expect((await harness.plan(yaml('[minions, minions_pre]'), { env })).plan.changes).toEqual([]);
  });

  it('the guard blocks a mass prune: apply deletes nothing and exits 1', async () => {
    const [alive] = await instances(moto, 1);
    const ids = ['i-0123456789abcdef0', 'i-0123456789abcdef1', 'i-0123456789abcdef2'];
    const chef = await httpRegistry([...ids, alive ?? ''].map((name) => ({ name })));
    const yaml = chefYaml(chef.url).replace('max: 100%', 'max: 2');
    const { plan } = await harness.plan(yaml, { env: CHEF_ENV });
    expect(plan.changes).toEqual([]);
    expect(plan.blocked).toHaveLength(3);
    expect(plan.blocked[0]?.reason).toBe('would prune 3 of 4 chef entries (more than max 2)');
    const run = await harness.apply(yaml, { env: CHEF_ENV });
    expect(applyExitCode(run)).toBe(1);
    expect(chef.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(chef.nodes.size).toBe(4);
  });

  it('command registry: the id reaches the delete command as one word, whatever it holds', async () => {
    // The pattern says on purpose that anything may follow the instance id (it must match the
    // whole id): only then is such an entry ours.
    const salt = await commandRegistry([]);
    const pwned = `${salt.state}.pwned`;
    const hostile = `i-0123456789abcdef0 '; touch ${pwned}; echo '$(touch ${pwned})\`touch ${pwned}\``;
    await writeFile(
      salt.state,
      JSON.stringify({ minions: ['i-0123456789abcdef1', hostile, 'master'], deleted: [] }),
    );
    cleanup.push(() => rm(pwned, { force: true }));
    const yaml = `region: us-east-1
prune:
  max: 100%
  protect: [i-0123456789abcdef1]
  registries:
    salt:
      list: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' list", items: minions }
      delete: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' delete {id}" }
      instance: "(i-[0-9a-f]+).*"
`;
    const env = { NODE: process.execPath, SCRIPT, STATE: salt.state };
    const { plan } = await harness.plan(yaml, { env });
    expect(actions(plan)).toEqual([['registry_entry', 'delete', hostile]]);
    expect(warningsText(plan)).toContain(
      'i-0123456789abcdef1 is protected (prune.protect): salt entry i-0123456789abcdef1 is kept',
    );

    const run = await harness.apply(yaml, { env });
    expect(applyExitCode(run)).toBe(0);
    const state = await salt.read();
    expect(state.deleted).toEqual([[hostile]]);
    expect(existsSync(pwned)).toBe(false);
    expect(state.minions).toEqual(['i-0123456789abcdef1', 'master']);
    expect((await harness.plan(yaml, { env })).plan.changes).toEqual([]);
  });
});

describe('prune: the instance pattern matches the whole entry id', () => {
  it('an unanchored pattern does not make a hostile entry ours: its delete command never runs', async () => {
    const salt = await commandRegistry([]);
    const pwned = `${salt.state}.pwned`;
    const hostile = `i-0123456789abcdef0; touch ${pwned}`;
    await writeFile(salt.state, JSON.stringify({ minions: [hostile, 'i-0123456789abcdef1'], deleted: [] }));
    cleanup.push(() => rm(pwned, { force: true }));
    // {id} reaches the shell quoted either way; what the pattern decides is whether a delete runs at all.
    const yaml = `region: us-east-1
prune:
  max: 100%
  registries:
    salt:
      list: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' list", items: minions }
      delete: { command: "'\${NODE}' '\${SCRIPT}' '\${STATE}' delete {id}" }
      instance: "(i-[0-9a-f]+)"
`;
    const env = { NODE: process.execPath, SCRIPT, STATE: salt.state };
    const { plan } = await harness.plan(yaml, { env });
    // i-...def1 names a gone instance and matches whole: ours. The hostile one is not.
    expect(actions(plan)).toEqual([['registry_entry', 'delete', 'i-0123456789abcdef1']]);
    expect(warningsText(plan)).toContain('registry salt: 1 of 2 entries do not name an instance');

    const run = await harness.apply(yaml, { env });
    expect(applyExitCode(run)).toBe(0);
    const state = await salt.read();
    expect(state.deleted).toEqual([['i-0123456789abcdef1']]);
    expect(state.minions).toEqual([hostile]);
    expect(existsSync(pwned)).toBe(false);
  });
});

describe('prune: ECS container instances and instance alarms', () => {
  const yaml = `region: us-east-1
cluster: ecs1
prune:
  max: 100%
  ecs_container_instances: true
  instance_alarms: { prefix: "cpu-" }
`;

  it('deregisters container instances and deletes alarms of gone instances; keeps the rest', async () => {
    const [gone, drained, alive] = await instances(moto, 3);
    const clients = moto.clients();
    await createEcsCluster(clients, 'ecs1');
    const arns = [];
    for (const id of [gone, drained, alive])
      arns.push(await registerContainerInstance(clients, 'ecs1', id ?? ''));
    await clients.ecs.send(
      new UpdateContainerInstancesStateCommand({
        cluster: 'ecs1',
        containerInstances: [arns[1] ?? ''],
        status: 'DRAINING',
      }),
    );
    for (const id of [gone, alive]) await putInstanceAlarm(moto, `cpu-${id}`, id ?? '');
    await putInstanceAlarm(moto, `mem-${gone}`, gone ?? '');
    await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone ?? '', drained ?? ''] }));

    const { plan } = await harness.plan(yaml);
    expect(actions(plan)).toEqual(
      [
        ['ecs_container_instance', 'deregister', arns[0] ?? ''],
        ['metric_alarm', 'delete', `cpu-${gone}`],
      ].sort(),
    );
    const ci = plan.changes.find((c) => c.type === 'ecs_container_instance');
    expect(ci?.operation).toEqual({
      kind: 'prune_container_instance',
      cluster: 'ecs1',
      containerInstance: arns[0],
      force: true,
    });
    expect(ci?.before).toMatchObject({ status: 'ACTIVE', instance: gone, instance_state: 'terminated' });

    const run = await harness.apply(yaml);
    expect(applyExitCode(run)).toBe(0);
    expect(await containerInstancesOf(moto, 'ecs1')).toEqual([drained, alive].sort());
    expect(await alarmNames(moto)).toEqual([`cpu-${alive}`, `mem-${gone}`].sort());
    expect((await harness.plan(yaml)).plan.changes).toEqual([]);
  });

  it('when the instances cannot be read, nothing is pruned and the plan says why', async () => {
    const [gone] = await instances(moto, 1, 1);
    const clients = moto.clients();
    await createEcsCluster(clients, 'ecs1');
    await putInstanceAlarm(moto, `cpu-${gone}`, gone ?? '');
    const proxy = await startAwsProxy({ target: moto.endpoint, deny: ['DescribeInstances'] });
    cleanup.push(() => proxy.close());
    const { plan } = await harness.plan(yaml, { endpoint: proxy.endpoint });
    expect(plan.changes).toEqual([]);
    expect(plan.errors).toContainEqual(
      expect.objectContaining({
        address: 'ecs1/prune',
        message: expect.stringMatching(
          /^instances in us-east-1 could not be read \(.*User is not authorized to perform: DescribeInstances\); nothing of cluster ecs1 is pruned this run$/,
        ),
      }),
    );
    // Through the proxy, with nothing failing, the same alarm goes.
    proxy.configure({ deny: [] });
    expect(actions((await harness.plan(yaml, { endpoint: proxy.endpoint })).plan)).toEqual([
      ['metric_alarm', 'delete', `cpu-${gone}`],
    ]);
  });

  /** A terminated instance that left a container instance in ecs1 and an alarm `cpu-<id>` behind. */
  async function goneWithContainerAndAlarm(): Promise<string> {
    const [gone = ''] = await instances(moto, 1);
    const clients = moto.clients();
    await createEcsCluster(clients, 'ecs1');
    await registerContainerInstance(clients, 'ecs1', gone);
    await putInstanceAlarm(moto, `cpu-${gone}`, gone);
    await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    return gone;
  }

  it('when the cluster cannot be read, no container instance is pruned; the alarms are, then apply exits 1', async () => {
    const gone = await goneWithContainerAndAlarm();
    const proxy = await startAwsProxy({ target: moto.endpoint, deny: ['ListContainerInstances'] });
    cleanup.push(() => proxy.close());
    const run = await harness.apply(yaml, { endpoint: proxy.endpoint });
    expect(actions(run.plan)).toEqual([['metric_alarm', 'delete', `cpu-${gone}`]]);
    expect(run.plan.errors.map((e) => `${e.address}: ${e.message}`)).toEqual([
      expect.stringMatching(
        /^ecs1\/prune\/ecs_container_instances: container instances of cluster ecs1 could not be read \(.*User is not authorized to perform: ListContainerInstances\); none is deregistered this run$/,
      ),
    ]);
    // The alarm went (applied), the container instance stayed, and the run failed.
    expect(run.report?.results.get(`ecs1/prune/instance_alarms/cpu-${gone}`)).toEqual({ status: 'applied' });
    expect(applyExitCode(run)).toBe(1);
    expect(await alarmNames(moto)).toEqual([]);
    expect(await containerInstancesOf(moto, 'ecs1')).toEqual([gone]);
  });

  it('when the alarms cannot be read (DescribeAlarms), none is deleted; the container instances are, then apply exits 1', async () => {
    const gone = await goneWithContainerAndAlarm();
    const proxy = await startAwsProxy({ target: moto.endpoint, deny: ['DescribeAlarms'] });
    cleanup.push(() => proxy.close());
    const run = await harness.apply(yaml, { endpoint: proxy.endpoint });
    expect(actions(run.plan).map(([type, action]) => `${type} ${action}`)).toEqual([
      'ecs_container_instance deregister',
    ]);
    expect(run.plan.errors.map((e) => `${e.address}: ${e.message}`)).toEqual([
      expect.stringMatching(
        /^ecs1\/prune\/instance_alarms: alarms named cpu-\* could not be read \(.*User is not authorized to perform: DescribeAlarms\); none is deleted this run$/,
      ),
    ]);
    expect(run.report?.applied).toBe(1);
    expect(applyExitCode(run)).toBe(1);
    expect(await containerInstancesOf(moto, 'ecs1')).toEqual([]);
    expect(await alarmNames(moto)).toEqual([`cpu-${gone}`]);
  });

  it('reads EC2 with one DescribeInstances call, however many entries (up to a page of the region)', async () => {
    const [gone] = await instances(moto, 1, 1);
    const many = Array.from({ length: 450 }, (_, i) => `i-${(i + 1).toString(16).padStart(17, '0')}`);
    const chef = await httpRegistry([gone ?? '', ...many].map((name) => ({ name })));
    const few = await harness.plan(chefYaml(chef.url), { env: CHEF_ENV });
    expect(few.counter.count('EC2', 'DescribeInstances')).toBe(1);
    expect(few.plan.blocked).toEqual([]);
    expect(few.plan.changes).toHaveLength(451);
  });
});
