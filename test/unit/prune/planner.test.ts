/** planPrune (through plan()): pure decisions from hand-made Live snapshots. */
import { describe, expect, it } from 'vitest';
import type { Known, Plan } from '../../../src/model.ts';
import { plan } from '../../../src/plan/index.ts';
import {
  desired,
  groupWith,
  iid,
  liveWith,
  minutesAgo,
  NOW,
  running,
  TG_ARN,
  targetGroup,
  terminated,
} from './fixtures.ts';

const acts = (p: Plan) => p.changes.map((c) => [c.type, c.action, c.id]);
const notes = (p: Plan) => p.warnings.map((w) => w.message).join('\n');
const errorsOf = (p: Plan) => p.errors.map((e) => e.message).join('\n');

function targetsYaml(prune = 'prune: { target_groups: true, max: 100% }'): string {
  return `groups:
  web-asg:
    target_groups: [${TG_ARN}]
${prune}
`;
}

describe('targets', () => {
  const members = {
    [iid(1)]: 'InService',
    [iid(2)]: 'InService',
    [iid(3)]: 'Pending',
    [iid(4)]: 'Terminating',
  };

  it('registers InService instances an ip target group lacks, on its port; leaves other lifecycles alone', () => {
    const ip = (n: number) => `10.0.0.${n}`;
    const p = plan(
      desired(targetsYaml()),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', members) },
        instances: [1, 2, 3, 4].map((n) => running(iid(n), 600, ip(n))),
        ips: [ip(1), ip(4)],
        targetGroups: { [TG_ARN]: targetGroup([ip(1), ip(4)], { port: 8080, type: 'ip' }) },
      }),
      NOW,
    );
    expect(acts(p)).toEqual([['target', 'register', `${ip(2)}:8080`]]);
    expect(p.changes[0]?.operation).toEqual({
      kind: 'register_targets',
      targetGroupArn: TG_ARN,
      targets: [{ id: ip(2), port: 8080 }],
    });
    expect(p.changes[0]?.address).toBe(`web/groups/web-asg/target_groups/web/${ip(2)}:8080`);
  });

  it('an instance target group is attached to the group and AWS registers its instances: we register none', () => {
    const live = (attached: string[]) =>
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', members, attached) },
        instances: [running(iid(1)), running(iid(2)), running(iid(3)), running(iid(4))],
        targetGroups: { [TG_ARN]: targetGroup([iid(1), iid(4)], { port: 8080 }) },
      });
    const attaching = plan(desired(targetsYaml()), live([]), NOW);
    expect(acts(attaching)).toEqual([['autoscaling_group', 'update', 'web-asg']]);
    expect(attaching.changes[0]?.operation).toMatchObject({ kind: 'attach_to_group', target: TG_ARN });
    // Attached already (by us or anyone): iid(2) is AWS's to register, not ours.
    expect(plan(desired(targetsYaml()), live([TG_ARN]), NOW).changes).toEqual([]);
  });

  it('deregisters targets of gone instances after grace, after the attachment', () => {
    const p = plan(
      desired(targetsYaml()),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', { [iid(1)]: 'InService', [iid(2)]: 'InService' }) },
        instances: [running(iid(1)), running(iid(2)), terminated(iid(5), 30), terminated(iid(6), 5)],
        unknownIds: [iid(7)],
        targetGroups: { [TG_ARN]: targetGroup([iid(1), iid(5), iid(6), iid(7)]) },
      }),
      NOW,
    );
    expect(acts(p)).toEqual([
      ['autoscaling_group', 'update', 'web-asg'],
      ['target', 'deregister', `${iid(5)}:80`],
      ['target', 'deregister', `${iid(7)}:80`],
    ]);
    // The attachment registers iid(2) (AWS does): capacity comes before removals, as a registration.
    const attach = p.changes[0]?.address;
    expect(attach).toBe('web/groups/web-asg/target_groups/web');
    expect(p.changes[1]?.dependsOn).toEqual([attach]);
    expect(p.changes[1]?.before).toMatchObject({
      target_group: 'web',
      instance: iid(5),
      instance_state: 'terminated',
      gone_since: minutesAgo(30).toISOString(),
      health: 'healthy',
    });
    expect(notes(p)).toContain(
      `target ${iid(6)}:80 of web: instance ${iid(6)} is terminated since 5m ago: kept until grace (10m) has passed`,
    );
  });

  it('a listing group that does not exist (yet) holds back every deregistration, not the registrations', () => {
    const yaml = `groups:
  web-asg:
    target_groups: [${TG_ARN}]
  new-asg:
    launch_template: { name: web }
    availability_zones: [us-east-1a]
    min: 1
    max: 2
    target_groups: [${TG_ARN}]
prune: { target_groups: true, max: 100% }
`;
    const p = plan(
      desired(yaml),
      liveWith({
        groups: {
          'web-asg': groupWith('web-asg', { [iid(1)]: 'InService', [iid(2)]: 'InService' }),
          'new-asg': null,
        },
        instances: [running(iid(1)), running(iid(2)), running(iid(8)), terminated(iid(9), 600)],
        targetGroups: { [TG_ARN]: targetGroup([iid(1), iid(8), iid(9)]) },
      }),
      NOW,
    );
    // web-asg gets the target group attached (AWS registers iid(2)); new-asg is created with it.
    expect(acts(p).filter(([type]) => type === 'target')).toEqual([]);
    expect(p.changes.map((c) => c.operation)).toEqual([
      expect.objectContaining({ kind: 'attach_to_group', group: 'web-asg', target: TG_ARN }),
      expect.objectContaining({ kind: 'create_group', group: 'new-asg', targetGroupArns: [TG_ARN] }),
    ]);
    expect(notes(p)).toContain(
      'group new-asg does not exist in us-east-1; no target of web is deregistered this run (its members are unknown, so 2 targets outside the other listing groups cannot be judged)',
    );
  });

  it('ip target groups: registers private IPs; an IP no instance holds is gone', () => {
    const p = plan(
      desired(targetsYaml()),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', { [iid(1)]: 'InService', [iid(2)]: 'InService' }) },
        instances: [
          running(iid(1), 600, '10.0.0.1'),
          running(iid(2), 600, '10.0.0.2'),
          running(iid(9), 600, '10.0.0.9'),
        ],
        ips: ['10.0.0.1', '10.0.0.8', '10.0.0.9'],
        targetGroups: { [TG_ARN]: targetGroup(['10.0.0.1', '10.0.0.8', '10.0.0.9'], { type: 'ip' }) },
      }),
      NOW,
    );
    expect(acts(p)).toEqual([
      ['target', 'register', '10.0.0.2:80'],
      ['target', 'deregister', '10.0.0.8:80'],
      ['target', 'deregister', '10.0.0.9:80'],
    ]);
    expect(p.changes[1]?.reason).toContain('the instance with IP 10.0.0.8 is unknown to EC2');
    expect(p.changes[2]?.reason).toContain(`instance ${iid(9)} is running but in none of the groups`);
  });

  it('a running instance outside the groups goes only when launched longer ago than grace', () => {
    const live = (launched: number) =>
      liveWith({
        // Attached: AWS keeps the members registered; stale targets are still ours to prune.
        groups: { 'web-asg': groupWith('web-asg', { [iid(1)]: 'InService' }, [TG_ARN]) },
        instances: [running(iid(1)), running(iid(8), launched)],
        targetGroups: { [TG_ARN]: targetGroup([iid(1), iid(8)]) },
      });
    expect(acts(plan(desired(targetsYaml()), live(5), NOW))).toEqual([]);
    expect(acts(plan(desired(targetsYaml()), live(15), NOW))).toEqual([
      ['target', 'deregister', `${iid(8)}:80`],
    ]);
  });

  it('without prune.target_groups nothing is deregistered', () => {
    const p = plan(
      desired(targetsYaml('')),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', {}, [TG_ARN]) },
        unknownIds: [iid(7)],
        targetGroups: { [TG_ARN]: targetGroup([iid(7)]) },
      }),
      NOW,
    );
    expect(p.changes).toEqual([]);
  });

  it('fails closed: an unreadable target group or instance read plans no removal, and is an error', () => {
    const failed: Known<never> = { known: false, reason: 'AccessDenied: nope' };
    const unreadableTg = plan(
      desired(targetsYaml()),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', { [iid(1)]: 'InService' }) },
        targetGroups: { [TG_ARN]: failed },
      }),
      NOW,
    );
    expect(unreadableTg.changes).toEqual([]);
    expect(unreadableTg.errors).toContainEqual(
      expect.objectContaining({
        address: 'web/groups/web-asg/target_groups/web',
        message:
          'target group web could not be read (AccessDenied: nope); it is not attached to a group, and its targets are neither registered nor deregistered this run',
      }),
    );
    const unreadableInstances = plan(
      desired(targetsYaml()),
      liveWith({
        groups: { 'web-asg': groupWith('web-asg', { [iid(1)]: 'InService' }) },
        instances: failed,
        targetGroups: { [TG_ARN]: targetGroup([iid(7)]) },
      }),
      NOW,
    );
    // Attaching needs no EC2 read; deregistering does.
    expect(acts(unreadableInstances)).toEqual([['autoscaling_group', 'update', 'web-asg']]);
    expect(errorsOf(unreadableInstances)).toContain('no target of web is deregistered this run');
  });

  it('a target group AWS does not have is an error', () => {
    const p = plan(
      desired(targetsYaml()),
      liveWith({ groups: { 'web-asg': groupWith('web-asg', {}) }, targetGroups: { [TG_ARN]: null } }),
      NOW,
    );
    expect(p.errors.map((e) => e.message)).toEqual([
      `target group web does not exist (${TG_ARN}): it cannot be attached to a group, and no target is registered in it`,
    ]);
    // Not attached either: AWS would refuse it, and the plan says why once.
    expect(p.changes).toEqual([]);
  });
});

describe('registries', () => {
  const yaml = (extra = '') => `prune:
  max: 100%
${extra}  registries:
    chef:
      list: { url: "https://chef.example/nodes", items: rows, id: name }
      delete: { url: "https://chef.example/nodes/{id}" }
`;
  const chef = 'web/prune/registries/chef';

  it('deletes entries of gone instances past grace; keeps running, recent and unmatched ones', () => {
    const p = plan(
      desired(yaml()),
      liveWith({
        instances: [running(iid(1)), terminated(iid(2), 60), terminated(iid(3), 1)],
        unknownIds: [iid(4)],
        registries: {
          [chef]: [{ id: iid(1) }, { id: iid(2) }, { id: iid(3) }, { id: iid(4) }, { id: 'build-server' }],
        },
      }),
      NOW,
    );
    expect(acts(p)).toEqual([
      ['registry_entry', 'delete', iid(2)],
      ['registry_entry', 'delete', iid(4)],
    ]);
    expect(p.changes[0]?.before).toEqual({
      registry: 'chef',
      entry: iid(2),
      entry_time: null,
      instance: iid(2),
      instance_state: 'terminated',
      gone_since: minutesAgo(60).toISOString(),
    });
    expect(p.changes[0]?.operation).toMatchObject({ kind: 'delete_registry_entry', entryId: iid(2) });
    expect(notes(p)).toContain('registry chef: 1 of 5 entries do not name an instance');
    expect(notes(p)).toContain('prune.max counts the other 4');
  });

  it('protect: by instance id or by entry id, noted in the plan', () => {
    const p = plan(
      desired(yaml(`  protect: [${iid(2)}]\n`)),
      liveWith({ unknownIds: [iid(2), iid(3)], registries: { [chef]: [{ id: iid(2) }, { id: iid(3) }] } }),
      NOW,
    );
    expect(acts(p)).toEqual([['registry_entry', 'delete', iid(3)]]);
    expect(notes(p)).toContain(`${iid(2)} is protected (prune.protect): chef entry ${iid(2)} is kept`);
  });

  it('the guard blocks every removal of the kind, and only of that kind', () => {
    const p = plan(
      desired(`${yaml().replace('max: 100%', 'max: 25%')}  instance_alarms: true\n`),
      liveWith({
        instances: [running(iid(1))],
        unknownIds: [iid(2), iid(3), iid(5)],
        registries: { [chef]: [{ id: iid(1) }, { id: iid(2) }, { id: iid(3) }] },
        instanceAlarms: {
          '': [
            { name: 'cpu-5', instanceId: iid(5) },
            ...[6, 7, 8].map((n) => ({ name: `cpu-${n}`, instanceId: iid(1) })),
          ],
        },
      }),
      NOW,
    );
    expect(acts(p)).toEqual([['metric_alarm', 'delete', 'cpu-5']]);
    expect(p.blocked.map((b) => [b.address, b.reason])).toEqual([
      [`${chef}/${iid(2)}`, 'would prune 2 of 3 chef entries (66.7% > 25%)'],
      [`${chef}/${iid(3)}`, 'would prune 2 of 3 chef entries (66.7% > 25%)'],
    ]);
    expect(p.blocked[0]?.change?.reason).toContain('unknown to EC2');
    expect(p.summary).toMatchObject({ delete: 1, blocked: 2 });
  });

  it('an unreadable registry prunes nothing of it, and is an error pinned to the registry', () => {
    const p = plan(
      desired(yaml()),
      liveWith({
        unknownIds: [iid(2)],
        registries: {
          [chef]: { known: false, reason: 'GET https://chef.example/nodes: HTTP 401 Unauthorized' },
        },
      }),
      NOW,
    );
    expect(p.changes).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(p.errors).toEqual([
      {
        address: chef,
        file: 'clusters/web.yml',
        line: 4,
        message:
          'registry chef could not be listed (GET https://chef.example/nodes: HTTP 401 Unauthorized); none of its entries is deleted this run',
      },
    ]);
  });

  it('optional: an unreadable registry is a warning, not an error', () => {
    const p = plan(
      desired(yaml().replace('      delete:', '      optional: true\n      delete:')),
      liveWith({ unknownIds: [iid(2)], registries: { [chef]: { known: false, reason: 'HTTP 401' } } }),
      NOW,
    );
    expect(p.changes).toEqual([]);
    expect(p.errors).toEqual([]);
    expect(notes(p)).toBe(
      'registry chef could not be listed (HTTP 401); none of its entries is deleted this run (optional: not an error)',
    );
  });

  it('a listing deferred on purpose (a pull request runs no command) is a warning', () => {
    const p = plan(
      desired(yaml()),
      liveWith({
        registries: { [chef]: { known: false, reason: 'commands are not run here', deferred: true } },
      }),
      NOW,
    );
    expect(p.errors).toEqual([]);
    expect(notes(p)).toBe(
      'registry chef could not be listed (commands are not run here); none of its entries is deleted this run',
    );
  });

  it('one unreadable registry does not stop another from being pruned', () => {
    const salt = 'web/prune/registries/salt';
    const p = plan(
      desired(`${yaml()}    salt:
      list: { command: "salt-key -L --out=json", items: [minions, minions_pre] }
      delete: { command: "salt-key -y -d {id}" }
`),
      liveWith({
        unknownIds: [iid(2), iid(3)],
        registries: {
          [chef]: { known: false, reason: 'HTTP 401' },
          [salt]: [{ id: iid(3) }],
        },
      }),
      NOW,
    );
    expect(acts(p)).toEqual([['registry_entry', 'delete', iid(3)]]);
    expect(p.errors.map((e) => e.address)).toEqual([chef]);
  });
});

describe('ECS container instances and instance alarms', () => {
  const yaml = `cluster: ecs1
prune:
  max: 100%
  ecs_container_instances: true
  instance_alarms: { prefix: "cpu-" }
`;
  const ci = (n: number, status = 'ACTIVE', instance = iid(n)) => ({
    arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/ecs1/${n}`,
    ec2InstanceId: instance,
    status,
    registeredAt: minutesAgo(600).toISOString(),
    runningTasks: 2,
  });

  it('deregisters ACTIVE container instances of gone instances with force; leaves DRAINING and mi- ones', () => {
    const p = plan(
      desired(yaml, 'clusters/ecs1.yml'),
      liveWith({
        instances: [running(iid(1)), terminated(iid(2), 60), terminated(iid(3), 60)],
        unknownIds: [iid(4)],
        containerInstances: {
          ecs1: [ci(1), ci(2), ci(3, 'DRAINING'), ci(4), ci(5, 'ACTIVE', 'mi-0123456789abcdef0')],
        },
        instanceAlarms: { 'cpu-': [] },
      }),
      NOW,
    );
    expect(acts(p)).toEqual([
      ['ecs_container_instance', 'deregister', ci(2).arn],
      ['ecs_container_instance', 'deregister', ci(4).arn],
    ]);
    expect(p.changes[0]?.operation).toEqual({
      kind: 'prune_container_instance',
      cluster: 'ecs1',
      containerInstance: ci(2).arn,
      force: true,
    });
    expect(p.changes[1]?.reason).toContain(
      `instance ${iid(4)} is unknown to EC2 (EC2 gives no time); the entry is 10h old`,
    );
  });

  it('deletes alarms of gone instances once, even when two files name them', () => {
    const two = desired(yaml, 'clusters/ecs1.yml');
    const other = desired(yaml.replace('cluster: ecs1', 'cluster: ecs2'), 'clusters/ecs2.yml');
    const both = { ...two, prune: [...(two.prune ?? []), ...(other.prune ?? [])] };
    const p = plan(
      both,
      liveWith({
        unknownIds: [iid(2)],
        containerInstances: { ecs1: [], ecs2: [] },
        instanceAlarms: {
          'cpu-': [{ name: 'cpu-2', instanceId: iid(2), updatedAt: minutesAgo(60).toISOString() }],
        },
      }),
      NOW,
    );
    expect(acts(p)).toEqual([['metric_alarm', 'delete', 'cpu-2']]);
    expect(p.changes[0]?.operation).toEqual({ kind: 'delete_alarm', name: 'cpu-2' });
  });

  it('when the instances cannot be read, nothing of the scope is pruned', () => {
    const p = plan(
      desired(yaml, 'clusters/ecs1.yml'),
      liveWith({
        instances: { known: false, reason: 'UnauthorizedOperation: no' },
        containerInstances: { ecs1: [ci(2)] },
        instanceAlarms: { 'cpu-': [{ name: 'cpu-2', instanceId: iid(2) }] },
      }),
      NOW,
    );
    expect(p.changes).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(p.errors).toEqual([
      expect.objectContaining({
        address: 'ecs1/prune',
        message:
          'instances in us-east-1 could not be read (UnauthorizedOperation: no); nothing of cluster ecs1 is pruned this run',
      }),
    ]);
  });

  it('an unreadable cluster or alarm listing prunes nothing of that kind, and is an error', () => {
    const p = plan(
      desired(yaml, 'clusters/ecs1.yml'),
      liveWith({
        unknownIds: [iid(2)],
        containerInstances: { ecs1: { known: false, reason: 'AccessDenied: ListContainerInstances' } },
        instanceAlarms: { 'cpu-': { known: false, reason: 'AccessDenied: DescribeAlarms' } },
      }),
      NOW,
    );
    expect(p.changes).toEqual([]);
    expect(p.errors.map((e) => [e.address, e.message])).toEqual([
      [
        'ecs1/prune/ecs_container_instances',
        'container instances of cluster ecs1 could not be read (AccessDenied: ListContainerInstances); none is deregistered this run',
      ],
      [
        'ecs1/prune/instance_alarms',
        'alarms named cpu-* could not be read (AccessDenied: DescribeAlarms); none is deleted this run',
      ],
    ]);
  });
});
