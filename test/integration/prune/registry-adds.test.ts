/**
 * Registry adds and the membership sweep against moto, an HTTP registry that stores what it is
 * sent (test/fixtures/registry/store-registry.ts) and a command registry keeping state in a file
 * (test/fixtures/registry/keys.mjs).
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DetachInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { applyExitCode } from '../../../src/pipeline.ts';
import { render } from '../../../src/render/index.ts';
import {
  PATH_PREFIX,
  type StoreRegistry,
  startStoreRegistry,
} from '../../fixtures/registry/store-registry.ts';
import { useMoto } from '../../support/moto.ts';
import { createGroup, groupInstanceIds } from '../../support/seed.ts';
import { actions, DAY_MS, instances, useHarness, warningsText } from './harness.ts';

const moto = useMoto();
const harness = useHarness(moto);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

const TOKEN = 'linerate-token-do-not-print';
const ENV = { LB_TOKEN: TOKEN };
const SCRIPT = resolve('test/fixtures/registry/keys.mjs');

async function storeRegistry(names: readonly string[]): Promise<StoreRegistry> {
  const registry = await startStoreRegistry(TOKEN, names);
  cleanup.push(() => registry.close());
  return registry;
}

interface KeysState {
  minions: string[];
  calls: string[][];
  /** How many times the list ran. */
  lists?: number;
}

async function keysRegistry(minions: readonly string[]) {
  const state = join(tmpdir(), `keys-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(state, JSON.stringify({ minions, calls: [] }));
  cleanup.push(() => rm(state, { force: true }));
  return { state, read: async (): Promise<KeysState> => JSON.parse(await readFile(state, 'utf8')) };
}

async function privateIps(ids: readonly string[]): Promise<Map<string, string>> {
  const out = await moto.clients().ec2.send(new DescribeInstancesCommand({ InstanceIds: [...ids] }));
  const ips = new Map<string, string>();
  for (const r of out.Reservations ?? [])
    for (const i of r.Instances ?? []) ips.set(i.InstanceId ?? '', i.PrivateIpAddress ?? '');
  return ips;
}

/** A key is an instance id, maybe behind a path (any characters, line breaks too). */
const KEYS_PATTERN = JSON.stringify('^(?:[\\s\\S]*/)?(i-[0-9a-f]+)$');

/** YAML string: double-quoted, with \\, " and newlines escaped. */
const quoted = (text: string): string => JSON.stringify(text);

function yaml(
  group: string,
  lb: string,
  keysState: string,
  options: { sweep?: boolean; max?: string } = {},
): string {
  const g = quoted(group);
  return `region: us-east-1
groups:
  ${g}: { min: 1, max: 4 }
prune:
  max: ${options.max ?? '100%'}
  registries:
    linerate:
      list: { url: "${lb}/servers", items: servers, id: name, headers: { Authorization: "Bearer \${LB_TOKEN}" } }
      instance: "^(?:.*/)?as_web_(i-[0-9a-f]+)$"
      entry: "as_web_{instance}"
      for_groups: [${g}]
      register:
        method: PUT
        url: "${lb}/servers/{entry}"
        headers: { Authorization: "Bearer \${LB_TOKEN}" }
        payload: { ip: "{private_ip}", port: 80, group: "{group}", zone: "{az}" }
      delete: { method: DELETE, url: "${lb}/servers/{entry}", headers: { Authorization: "Bearer \${LB_TOKEN}" } }
${options.sweep ? '      sweep: membership\n' : ''}    keys:
      list: { command: "node ${SCRIPT} ${keysState} list", items: minions }
      instance: ${KEYS_PATTERN}
      for_groups: [${g}]
      register: { command: "node ${SCRIPT} ${keysState} add {instance} {group} {private_ip}" }
      delete: { command: "node ${SCRIPT} ${keysState} delete {id}" }
${options.sweep ? '      sweep: membership\n' : ''}`;
}

describe('registries: register (adds) and sweep', () => {
  it('adds each InService instance missing from each registry with its name, IP and port; removes a terminated one; then plans nothing', async () => {
    const created = await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 2 });
    const [a, b] = groupInstanceIds(created) as [string, string];
    const [gone] = await instances(moto, 1, 1);
    const lb = await storeRegistry([`as_web_${a}`, `as_web_${gone}`, 'as_web_build']);
    const keys = await keysRegistry([a, gone ?? '']);
    const config = yaml('web-asg', lb.url, keys.state);

    const { plan } = await harness.plan(config, { env: ENV });
    expect(actions(plan).filter(([type]) => type === 'registry_entry')).toEqual(
      [
        ['registry_entry', 'create', `as_web_${b}`],
        ['registry_entry', 'create', b],
        ['registry_entry', 'delete', `${PATH_PREFIX}as_web_${gone}`],
        ['registry_entry', 'delete', gone ?? ''],
      ].sort(),
    );
    const add = plan.changes.find((c) => c.id === `as_web_${b}`);
    expect(add?.after).toMatchObject({ instance: b, group: 'web-asg', lifecycle: 'InService' });
    expect(add?.reason).toMatch(new RegExp(`^${b} is InService in web-asg \\(launched `));
    for (const format of ['text', 'json', 'markdown'] as const)
      expect(render(format, plan)).not.toContain(TOKEN);
    // The missing members' IPs come in the same DescribeInstances call as the entries' instances,
    // and the groups' members from the one DescribeAutoScalingGroups the groups need anyway.
    const counted = await harness.plan(config, { env: ENV });
    expect(counted.counter.count('EC2', 'DescribeInstances')).toBe(1);
    expect(counted.counter.count('AutoScaling', 'DescribeAutoScalingGroups')).toBe(1);

    const run = await harness.apply(config, { env: ENV });
    expect(applyExitCode(run)).toBe(0);
    const ips = await privateIps([a, b]);
    expect(ips.get(b)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // The HTTP registry got the entry's name in the URL and the IP and port in a JSON body.
    expect([...lb.servers.keys()].sort()).toEqual(
      [`${PATH_PREFIX}as_web_${a}`, `${PATH_PREFIX}as_web_${b}`, `${PATH_PREFIX}as_web_build`].sort(),
    );
    expect(lb.servers.get(`${PATH_PREFIX}as_web_${b}`)).toEqual({
      ip: ips.get(b),
      port: 80,
      group: 'web-asg',
      zone: 'us-east-1a',
    });
    const put = lb.requests.find((r) => r.method === 'PUT');
    expect(put).toMatchObject({ path: `/servers/as_web_${b}`, contentType: 'application/json' });
    expect(lb.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `/servers/as_web_${gone}`,
    ]);
    // The command registry got each value as one argument.
    const state = await keys.read();
    expect(state.minions.sort()).toEqual([a, b].sort());
    expect(state.calls).toContainEqual(['add', b, 'web-asg', ips.get(b)]);
    expect(state.calls).toContainEqual(['delete', gone]);

    const again = await harness.plan(config, { env: ENV });
    expect(again.plan.changes).toEqual([]);
  });

  it('sweep: membership removes a detached running instance after grace; not before, and not when off', async () => {
    const created = await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 2 });
    const [kept, detached] = groupInstanceIds(created) as [string, string];
    await moto.clients().autoscaling.send(
      new DetachInstancesCommand({
        AutoScalingGroupName: 'web-asg',
        InstanceIds: [detached],
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    const lb = await storeRegistry([`as_web_${kept}`, `as_web_${detached}`]);
    const keys = await keysRegistry([kept, detached]);
    const swept = [
      ['registry_entry', 'delete', `${PATH_PREFIX}as_web_${detached}`],
      ['registry_entry', 'delete', detached],
    ];

    const off = await harness.plan(yaml('web-asg', lb.url, keys.state), { env: ENV });
    expect(actions(off.plan).filter(([type]) => type === 'registry_entry')).toEqual([]);

    const early = await harness.plan(yaml('web-asg', lb.url, keys.state, { sweep: true }), {
      env: ENV,
      now: new Date(Date.now() + 60_000),
    });
    expect(actions(early.plan).filter(([type]) => type === 'registry_entry')).toEqual([]);
    expect(warningsText(early.plan)).toMatch(
      new RegExp(
        `instance ${detached} is running but in none of web-asg, launched .+ ago: kept until grace \\(10m\\)`,
      ),
    );

    const later = await harness.apply(yaml('web-asg', lb.url, keys.state, { sweep: true }), {
      env: ENV,
      now: new Date(Date.now() + DAY_MS),
    });
    expect(actions(later.plan).filter(([type]) => type === 'registry_entry')).toEqual(swept);
    expect(later.plan.changes.find((c) => c.id === detached)?.reason).toMatch(
      /is running but in none of web-asg \(sweep: membership\); launched .* ago, grace 10m \(AWS does not record when it left a group/,
    );
    expect(applyExitCode(later)).toBe(0);
    expect([...lb.servers.keys()]).toEqual([`${PATH_PREFIX}as_web_${kept}`]);
    expect((await keys.read()).minions).toEqual([kept]);
  });

  it('two registries with the same list run it once; a registry that only adds reads no instance of its entries', async () => {
    const created = await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 1 });
    const [member] = groupInstanceIds(created) as [string];
    const [other] = await instances(moto, 1);
    const keys = await keysRegistry([member, other ?? '']);
    const list = `node ${SCRIPT} ${keys.state} list`;
    const accept = `    accept:
      list: { command: "${list}", items: minions }
      for_groups: [web-asg]
      register: { command: "node ${SCRIPT} ${keys.state} add {instance}" }
`;
    const head = `region: us-east-1
groups:
  web-asg: { min: 1, max: 4 }
prune:
  registries:
`;
    // Only adds: every listed key is present, no member is missing: nothing to ask EC2.
    const adds = await harness.plan(head + accept);
    expect(adds.plan.changes.filter((c) => c.type === 'registry_entry')).toEqual([]);
    expect(adds.counter.count('EC2', 'DescribeInstances')).toBe(0);
    expect((await keys.read()).lists).toBe(1);

    // Salt's pair: one registry prunes, one accepts, both from one `salt-key -L` (max_bytes and
    // paths may differ; the list is the same request).
    const prune = `    prune-keys:
      list: { command: "${list}", items: [minions] }
      delete: { command: "node ${SCRIPT} ${keys.state} delete {id}" }
`;
    const both = await harness.plan(head + accept + prune);
    expect(both.plan.errors).toEqual([]);
    expect((await keys.read()).lists).toBe(2);
  });

  it('hostile names reach the registries verbatim and run nothing', async () => {
    const canary = join(tmpdir(), `canary-${process.pid}-${Math.random().toString(36).slice(2)}`);
    cleanup.push(() => rm(canary, { force: true }));
    // A group name with quotes, `;`, `$(…)`, backticks and a newline: AWS allows all of them.
    const hostile = `web"; touch ${canary}; '$(touch ${canary})' \`touch ${canary}\`\nnext`;
    const created = await createGroup(moto.clients(), hostile, { min: 1, max: 4, desired: 1 });
    const [member] = groupInstanceIds(created) as [string];
    const [gone] = await instances(moto, 1, 1);
    // A listed id the pattern reads as ours, with a hostile path in front of the instance id.
    const hostileId = `$(touch ${canary}); '"\n/${gone}`;
    const lb = await storeRegistry([]);
    const keys = await keysRegistry([hostileId]);
    const config = yaml(hostile, lb.url, keys.state);

    const run = await harness.apply(config, { env: ENV });
    expect(applyExitCode(run), warningsText(run.plan)).toBe(0);
    expect(actions(run.plan).filter(([type]) => type === 'registry_entry')).toEqual(
      [
        ['registry_entry', 'create', `as_web_${member}`],
        ['registry_entry', 'create', member],
        ['registry_entry', 'delete', hostileId],
      ].sort(),
    );
    expect(lb.servers.get(`${PATH_PREFIX}as_web_${member}`)).toMatchObject({ group: hostile, port: 80 });
    const state = await keys.read();
    expect(state.calls).toContainEqual([
      'add',
      member,
      hostile,
      expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
    ]);
    expect(state.calls).toContainEqual(['delete', hostileId]);
    expect(state.minions).toEqual([member]);
    expect(existsSync(canary)).toBe(false);
  });
});
