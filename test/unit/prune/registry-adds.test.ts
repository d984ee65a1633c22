/** Registry adds (register), the membership sweep and filled deletes: pure decisions from hand-made Live. */
import { describe, expect, it } from 'vitest';
import type { LiveInstance, Plan } from '../../../src/model.ts';
import { plan } from '../../../src/plan/index.ts';
import { desired, groupWith, iid, liveWith, NOW, running, terminated } from './fixtures.ts';

const entries = (p: Plan) =>
  p.changes.filter((c) => c.type === 'registry_entry').map((c) => [c.action, c.id]);
const notes = (p: Plan) => p.warnings.map((w) => w.message).join('\n');
const linerate = 'web/prune/registries/linerate';

function yaml(
  options: { max?: string; sweep?: boolean; register?: string; del?: string; entry?: string } = {},
) {
  return `groups:
  web-asg: { min: 0, max: 10 }
  api-asg: { min: 0, max: 10 }
prune:
  max: ${options.max ?? '100%'}
  grace: 10m
  registries:
    linerate:
      list: { url: "https://lb.example/api/realServers", items: servers, id: name }
      instance: "^(?:.*/)?as_web_(i-[0-9a-f]+)$"
      entry: "${options.entry ?? 'as_web_{instance}'}"
      for_groups: [web-asg]
      register: ${options.register ?? '{ method: PUT, url: "https://lb.example/api/realServers/{entry}", payload: { ip: "{private_ip}", port: 80 } }'}
      delete: ${options.del ?? '{ method: DELETE, url: "https://lb.example/api/realServers/{entry}" }'}
${options.sweep ? '      sweep: membership\n' : ''}`;
}

const withIps = (instance: LiveInstance, ip: string, extra: Partial<LiveInstance> = {}): LiveInstance => ({
  ...instance,
  privateIp: ip,
  availabilityZone: 'us-east-1a',
  ...extra,
});

describe('registry adds', () => {
  it('adds each InService instance of for_groups the listing lacks, with its values; no other lifecycle', () => {
    const p = plan(
      desired(yaml()),
      liveWith({
        groups: {
          'web-asg': groupWith('web-asg', {
            [iid(1)]: 'InService',
            [iid(2)]: 'InService',
            [iid(3)]: 'Pending',
          }),
          'api-asg': groupWith('api-asg', { [iid(9)]: 'InService' }),
        },
        instances: [withIps(running(iid(1)), '10.0.0.1'), withIps(running(iid(2), 30), '10.0.0.2')],
        // Present under a full path: the pattern reads it back to i-…1.
        registries: { [linerate]: [{ id: `/config/app/as_web_${iid(1)}` }] },
      }),
      NOW,
    );
    expect(entries(p)).toEqual([['create', `as_web_${iid(2)}`]]);
    const add = p.changes.find((c) => c.type === 'registry_entry');
    expect(add?.address).toBe(`${linerate}/as_web_${iid(2)}`);
    expect(add?.before).toBeNull();
    expect(add?.after).toEqual({
      registry: 'linerate',
      entry: `as_web_${iid(2)}`,
      instance: iid(2),
      lifecycle: 'InService',
      launched: new Date(NOW.getTime() - 30 * 60_000).toISOString(),
      group: 'web-asg',
      az: 'us-east-1a',
      private_ip: '10.0.0.2',
      public_ip: null,
    });
    expect(add?.reason).toMatch(
      new RegExp(
        `^${iid(2)} is InService in web-asg \\(launched .*, 30m ago; AWS does not record since when it is InService\\) and linerate has no entry for it$`,
      ),
    );
    expect(add?.operation).toEqual({
      kind: 'register_registry_entry',
      registry: linerate,
      entryId: `as_web_${iid(2)}`,
      register: {
        kind: 'http',
        method: 'PUT',
        url: 'https://lb.example/api/realServers/{entry}',
        headers: {},
        payload: { ip: '{private_ip}', port: 80 },
      },
      values: {
        instance: iid(2),
        entry: `as_web_${iid(2)}`,
        group: 'web-asg',
        az: 'us-east-1a',
        private_ip: '10.0.0.2',
      },
    });
    expect(p.summary.create).toBeGreaterThanOrEqual(1);
  });

  it('a listing that could not be read adds nothing (and deletes nothing)', () => {
    const p = plan(
      desired(yaml()),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', { [iid(1)]: 'InService' }), 'api-asg': null },
        instances: [withIps(running(iid(1)), '10.0.0.1')],
        unknownIds: [iid(5)],
        registries: {
          [linerate]: { known: false, reason: 'GET https://lb.example/api/realServers: HTTP 401' },
        },
      }),
      NOW,
    );
    expect(entries(p)).toEqual([]);
    // Not optional: an error, so the run fails once the rest is applied.
    expect(p.errors.map((e) => e.message)).toContain(
      'registry linerate could not be listed (GET https://lb.example/api/realServers: HTTP 401); none of its entries is deleted or added this run',
    );
  });

  it('a group that could not be read adds nothing of its own', () => {
    const p = plan(
      desired(yaml()),
      liveWith({
        groups: { 'web-asg': { known: false, reason: 'Throttling' }, 'api-asg': null },
        registries: { [linerate]: [] },
      }),
      NOW,
    );
    expect(entries(p)).toEqual([]);
    expect(notes(p)).toContain(
      'group web-asg could not be read (Throttling); none of its instances is added to registry linerate this run',
    );
  });

  it('a placeholder whose value is unknown skips that add with a warning, never an empty value', () => {
    const p = plan(
      desired(
        yaml({
          register:
            '{ method: PUT, url: "https://lb.example/api/realServers/{entry}", payload: { ip: "{public_ip}" } }',
        }),
      ),
      liveWith({
        groups: {
          'web-asg': groupWith('web-asg', { [iid(1)]: 'InService', [iid(2)]: 'InService' }),
          'api-asg': null,
        },
        instances: [
          withIps(running(iid(1)), '10.0.0.1', { publicIp: '3.3.3.3' }),
          withIps(running(iid(2)), '10.0.0.2'),
        ],
        registries: { [linerate]: [] },
      }),
      NOW,
    );
    expect(entries(p)).toEqual([['create', `as_web_${iid(1)}`]]);
    expect(notes(p)).toContain(
      `${iid(2)} is InService in web-asg but not added to registry linerate: {public_ip} (the instance's public IP) is not known for it`,
    );
  });

  it('prune.max guards adds apart from deletes, out of the instances that should have an entry', () => {
    const members = Object.fromEntries([1, 2, 3, 4].map((n) => [iid(n), 'InService']));
    // Four InService members, one of them listed; a gone instance's entry listed too.
    const live = liveWith({
      groups: { 'web-asg': groupWith('web-asg', members), 'api-asg': null },
      instances: [1, 2, 3, 4].map((n) => withIps(running(iid(n)), `10.0.0.${n}`)),
      unknownIds: [iid(7)],
      registries: { [linerate]: [{ id: `as_web_${iid(1)}` }, { id: `as_web_${iid(7)}` }] },
    });
    const p = plan(desired(yaml({ max: '25%' })), live, NOW);
    // 1 delete of 2 entries (50%) and 3 adds of 4 (75%): both over 25%, each named for itself.
    expect(entries(p)).toEqual([]);
    expect(p.blocked.map((b) => b.reason).sort()).toEqual([
      'would add 3 of 4 linerate entries for web-asg (75% > 25%)',
      'would add 3 of 4 linerate entries for web-asg (75% > 25%)',
      'would add 3 of 4 linerate entries for web-asg (75% > 25%)',
      'would prune 1 of 2 linerate entries (50% > 25%)',
    ]);
    expect(p.blocked[0]?.guard).toMatchObject({ key: 'prune.max' });

    const within = plan(desired(yaml({ max: '3' })), live, NOW);
    expect(within.blocked).toEqual([]);
    expect(entries(within).sort()).toEqual(
      [
        ['create', `as_web_${iid(2)}`],
        ['create', `as_web_${iid(3)}`],
        ['create', `as_web_${iid(4)}`],
        ['delete', `as_web_${iid(7)}`],
      ].sort(),
    );
  });

  it('a second plan after the adds is quiet', () => {
    const p = plan(
      desired(yaml()),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', { [iid(1)]: 'InService' }), 'api-asg': null },
        instances: [withIps(running(iid(1)), '10.0.0.1')],
        registries: { [linerate]: [{ id: `as_web_${iid(1)}` }] },
      }),
      NOW,
    );
    expect(entries(p)).toEqual([]);
  });
});

describe('deletes with placeholders', () => {
  it('fills {entry} and the instance values; a delete needing an unknown value is kept, with a warning', () => {
    const p = plan(
      desired(
        yaml({
          del: '{ method: PUT, url: "https://lb.example/api/gone/{entry}", payload: { ip: "{private_ip}", az: "{az}" } }',
        }),
      ),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', {}), 'api-asg': null },
        instances: [
          {
            ...terminated(iid(1), 60),
            privateIp: '10.0.0.1',
            availabilityZone: 'us-east-1b',
            autoScalingGroup: 'web-asg',
          },
          terminated(iid(2), 60),
        ],
        registries: { [linerate]: [{ id: `/config/as_web_${iid(1)}` }, { id: `as_web_${iid(2)}` }] },
      }),
      NOW,
    );
    expect(entries(p)).toEqual([['delete', `/config/as_web_${iid(1)}`]]);
    expect(p.changes[0]?.operation).toMatchObject({
      kind: 'delete_registry_entry',
      values: {
        id: `/config/as_web_${iid(1)}`,
        instance: iid(1),
        entry: `as_web_${iid(1)}`,
        private_ip: '10.0.0.1',
        az: 'us-east-1b',
        group: 'web-asg',
      },
    });
    expect(notes(p)).toContain(
      `linerate entry as_web_${iid(2)}: its instance is gone, but delete needs {private_ip} (the instance's private IP), {az} (the instance's availability zone), which is not known for it: not deleted`,
    );
  });
});

describe('a delete filled with {entry} reaches only the entry it names', () => {
  it('an entry the pattern accepts under another name is not deleted at the entry {entry} spells', () => {
    const config = yaml().replace(
      '^(?:.*/)?as_web_(i-[0-9a-f]+)$',
      '^(?:.*/)?(?:as_web_|old_)(i-[0-9a-f]+)$',
    );
    const p = plan(
      desired(config),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', {}), 'api-asg': null },
        instances: [terminated(iid(1), 60), terminated(iid(2), 60)],
        registries: { [linerate]: [{ id: `old_${iid(1)}` }, { id: `/config/as_web_${iid(2)}` }] },
      }),
      NOW,
    );
    // The path ending in the entry is reached; old_… would get a DELETE of as_web_… (404, "done").
    expect(entries(p)).toEqual([['delete', `/config/as_web_${iid(2)}`]]);
    expect(notes(p)).toContain(
      `linerate entry old_${iid(1)}: its instance is gone, but delete uses {entry}, which is as_web_${iid(1)} for it, not this entry (use {id} to delete a listed entry by its own id): not deleted`,
    );
    const byId = plan(
      desired(config.replace('realServers/{entry}" }', 'realServers/{id}" }')),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', {}), 'api-asg': null },
        instances: [terminated(iid(1), 60)],
        registries: { [linerate]: [{ id: `old_${iid(1)}` }] },
      }),
      NOW,
    );
    expect(entries(byId)).toEqual([['delete', `old_${iid(1)}`]]);
  });
});

describe('sweep: membership', () => {
  const live = (launchedMinutesAgo: number, web: Record<string, string> = {}) =>
    liveWith({
      groups: { 'web-asg': groupWith('web-asg', web), 'api-asg': null },
      instances: [
        withIps(running(iid(1), launchedMinutesAgo), '10.0.0.1'),
        withIps(running(iid(2)), '10.0.0.2'),
      ],
      registries: { [linerate]: [{ id: `as_web_${iid(1)}` }, { id: `as_web_${iid(2)}` }] },
    });

  it('prunes an entry of a running instance in none of for_groups, launched longer ago than grace', () => {
    const p = plan(desired(yaml({ sweep: true })), live(60, { [iid(2)]: 'InService' }), NOW);
    expect(entries(p)).toEqual([['delete', `as_web_${iid(1)}`]]);
    const change = p.changes.find((c) => c.type === 'registry_entry');
    expect(change?.reason).toBe(
      `instance ${iid(1)} is running but in none of web-asg (sweep: membership); launched 1h ago, grace 10m (AWS does not record when it left a group, so its launch time bounds how long it has been outside)`,
    );
    expect(change?.before).toMatchObject({ instance: iid(1), instance_state: 'running' });
  });

  it('not before grace, and not when the sweep is off', () => {
    const young = plan(desired(yaml({ sweep: true })), live(5, { [iid(2)]: 'InService' }), NOW);
    expect(entries(young)).toEqual([]);
    expect(notes(young)).toContain(`launched 5m ago: kept until grace (10m) has passed`);
    const off = plan(desired(yaml()), live(60, { [iid(2)]: 'InService' }), NOW);
    expect(entries(off)).toEqual([]);
  });

  it('only a running instance is swept: stopped, stopping or pending ones outside for_groups are kept', () => {
    for (const state of ['stopped', 'stopping', 'pending']) {
      const p = plan(
        desired(yaml({ sweep: true })),
        liveWith({
          groups: { 'web-asg': groupWith('web-asg', { [iid(2)]: 'InService' }), 'api-asg': null },
          instances: [
            withIps(running(iid(1), 60), '10.0.0.1', { state }),
            withIps(running(iid(2)), '10.0.0.2'),
          ],
          registries: { [linerate]: [{ id: `as_web_${iid(1)}` }, { id: `as_web_${iid(2)}` }] },
        }),
        NOW,
      );
      expect(entries(p), state).toEqual([]);
    }
  });

  it('a member in any lifecycle (Standby, Pending) is not swept', () => {
    const p = plan(
      desired(yaml({ sweep: true })),
      live(60, { [iid(1)]: 'Standby', [iid(2)]: 'InService' }),
      NOW,
    );
    expect(entries(p)).toEqual([]);
  });

  it('nothing is swept while a listed group is unknown', () => {
    const p = plan(
      desired(yaml({ sweep: true })),
      liveWith({
        groups: { 'web-asg': { known: false, reason: 'Throttling' }, 'api-asg': null },
        instances: [withIps(running(iid(1), 60), '10.0.0.1')],
        registries: { [linerate]: [{ id: `as_web_${iid(1)}` }] },
      }),
      NOW,
    );
    expect(entries(p)).toEqual([]);
    expect(notes(p)).toContain(
      'group web-asg could not be read: its members are unknown, so no entry of registry linerate is swept by membership this run',
    );
  });
});
