/** `prune:` → DesiredPrune: defaults, units, registries. */
import { describe, expect, it } from 'vitest';
import { desired } from './fixtures.ts';

describe('desired prune', () => {
  it('applies the schema defaults', () => {
    const [prune] = desired('prune: { target_groups: true }\n').prune ?? [];
    expect(prune).toMatchObject({
      address: 'web/prune',
      cluster: 'web',
      scope: { region: 'us-east-1' },
      origin: { file: 'clusters/web.yml', line: 1 },
      graceSeconds: 600,
      max: { kind: 'percent', value: 25 },
      protect: [],
      ecsContainerInstances: false,
      targetGroups: true,
      registries: [],
    });
    expect(prune?.instanceAlarms).toBeUndefined();
  });

  it('normalises grace, max, alarms and registries', () => {
    const [prune] =
      desired(`prune:
  grace: 1h30m
  max: 3
  instance_alarms: true
  registries:
    salt:
      list: { command: "salt-key -L --out=json", items: minions }
      delete: { command: "salt-key -y -d {id}" }
    chef:
      list: { url: "https://chef.example/nodes", headers: { Authorization: "Bearer t" } }
      delete: { url: "https://chef.example/nodes/{id}" }
      instance: "^(i-[0-9a-f]+)$"
`).prune ?? [];
    expect(prune?.graceSeconds).toBe(5400);
    expect(prune?.max).toEqual({ kind: 'count', value: 3 });
    expect(prune?.instanceAlarms).toEqual({ prefix: '' });
    expect(prune?.registries.map((r) => [r.address, r.list, r.delete, r.instance])).toEqual([
      [
        'web/prune/registries/salt',
        { kind: 'command', command: 'salt-key -L --out=json', items: 'minions' },
        { kind: 'command', command: 'salt-key -y -d {id}' },
        '^(i-[0-9a-f]{8,17})$',
      ],
      [
        'web/prune/registries/chef',
        { kind: 'http', url: 'https://chef.example/nodes', headers: { Authorization: 'Bearer t' } },
        { kind: 'http', method: 'DELETE', url: 'https://chef.example/nodes/{id}', headers: {} },
        '^(i-[0-9a-f]+)$',
      ],
    ]);
    expect(prune?.registries.map((r) => r.optional)).toEqual([false, false]);
  });

  it('takes items as one path or a list of paths, and optional', () => {
    const [prune] =
      desired(`prune:
  registries:
    salt:
      list: { command: "salt-key -L --out=json", items: [minions, minions_pre] }
      delete: { command: "salt-key -y -d {id}" }
      optional: true
`).prune ?? [];
    expect(prune?.registries[0]?.list).toEqual({
      kind: 'command',
      command: 'salt-key -L --out=json',
      items: ['minions', 'minions_pre'],
    });
    expect(prune?.registries[0]?.optional).toBe(true);
  });
});
