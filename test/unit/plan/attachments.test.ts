/** Attachments and health_check of a group (plan/groups): pure decisions from hand-made Live snapshots. */
import { describe, expect, it } from 'vitest';
import type { LiveGroup, LiveTargetGroup, Plan } from '../../../src/model.ts';
import { plan } from '../../../src/plan/index.ts';
import { headline } from '../../../src/render/lines.ts';
import { desired, groupWith, iid, liveWith, NOW, running, TG_ARN, targetGroup } from '../prune/fixtures.ts';

const IP_ARN = TG_ARN.replace('targetgroup/web/0123456789abcdef', 'targetgroup/web-ip/00000000000000ff');
const OLD_ARN = TG_ARN.replace('targetgroup/web/0123456789abcdef', 'targetgroup/old/00000000000000aa');
const FOREIGN_ARN = TG_ARN.replace('targetgroup/web/0123456789abcdef', 'targetgroup/theirs/00000000000000bb');
const PREFIX = 'autoscale-gitops:attached:';
const TAG = `${PREFIX}targetgroup/web/0123456789abcdef`;
const OLD_TAG = `${PREFIX}targetgroup/old/00000000000000aa`;

const ipGroup: LiveTargetGroup = { ...targetGroup([], { type: 'ip' }), arn: IP_ARN, name: 'web-ip' };

function liveGroup(fields: Partial<LiveGroup> = {}): LiveGroup {
  return { ...groupWith('web-asg', { [iid(1)]: 'InService' }), ...fields };
}

function planFor(
  yaml: string,
  group: LiveGroup | null,
  targetGroups: Record<string, LiveTargetGroup | null> = {},
) {
  return plan(
    desired(yaml),
    liveWith({
      groups: { 'web-asg': group },
      instances: [running(iid(1), 600, '10.0.0.1')],
      targetGroups: { [TG_ARN]: targetGroup([]), [IP_ARN]: ipGroup, ...targetGroups },
    }),
    NOW,
  );
}

const rows = (p: Plan) => p.changes.map((c) => [c.address, c.before, c.after]);
const ops = (p: Plan) => p.changes.map((c) => c.operation);
const messages = (list: Plan['warnings']) => list.map((m) => m.message);

describe('attachments', () => {
  it('attaches an instance target group and a Classic Load Balancer; an ip target group stays ours to register', () => {
    const p = planFor(
      `groups:\n  web-asg:\n    target_groups: [${TG_ARN}, ${IP_ARN}]\n    load_balancers: [classic-web]\n`,
      liveGroup(),
    );
    expect(rows(p)).toEqual([
      ['web/groups/web-asg/target_groups/web', { target_group: null }, { target_group: 'web' }],
      [
        'web/groups/web-asg/load_balancers/classic-web',
        { load_balancer: null },
        { load_balancer: 'classic-web' },
      ],
      [
        'web/groups/web-asg/target_groups/web-ip/10.0.0.1:80',
        null,
        expect.objectContaining({ target: '10.0.0.1' }),
      ],
    ]);
    expect(ops(p).slice(0, 2)).toEqual([
      {
        kind: 'attach_to_group',
        group: 'web-asg',
        attachment: 'target_group',
        target: TG_ARN,
        ownerTag: TAG,
      },
      {
        kind: 'attach_to_group',
        group: 'web-asg',
        attachment: 'load_balancer',
        target: 'classic-web',
        ownerTag: `${PREFIX}loadbalancer/classic-web`,
      },
    ]);
    expect(p.changes[0]?.reason).toContain(`the tag ${TAG} records that this tool attached it`);
    expect(p.changes.slice(0, 2).map((c) => headline(c))).toEqual([
      '~ attach autoscaling_group web-asg (target group web)',
      '~ attach autoscaling_group web-asg (load balancer classic-web)',
    ]);
    expect(p.summary).toMatchObject({ update: 2, register: 1 });
  });

  it('leaves an attachment made by someone else alone when the YAML lists it: no change, no claim', () => {
    const p = planFor(
      `groups:\n  web-asg:\n    target_groups: [${TG_ARN}]\n    load_balancers: [classic-web]\n`,
      liveGroup({ targetGroupArns: [TG_ARN], loadBalancerNames: ['classic-web'] }),
    );
    expect(p.changes).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it('detaches what it attached once it leaves the YAML; reports, never detaches, what someone else attached', () => {
    const p = planFor(
      'groups:\n  web-asg:\n    min: 0\n',
      liveGroup({
        targetGroupArns: [OLD_ARN, FOREIGN_ARN],
        loadBalancerNames: ['our-elb', 'their-elb'],
        tags: { [OLD_TAG]: 'autoscale-gitops', [`${PREFIX}loadbalancer/our-elb`]: 'autoscale-gitops' },
      }),
    );
    expect(rows(p)).toEqual([
      ['web/groups/web-asg/target_groups/old', { target_group: 'old' }, { target_group: null }],
      ['web/groups/web-asg/load_balancers/our-elb', { load_balancer: 'our-elb' }, { load_balancer: null }],
    ]);
    expect(ops(p)).toEqual([
      expect.objectContaining({
        kind: 'detach_from_group',
        target: OLD_ARN,
        ownerTag: OLD_TAG,
        attached: true,
      }),
      expect.objectContaining({ kind: 'detach_from_group', target: 'our-elb', attached: true }),
    ]);
    expect(p.changes.map((c) => headline(c))).toEqual([
      '~ detach autoscaling_group web-asg (target group old)',
      '~ detach autoscaling_group web-asg (load balancer our-elb)',
    ]);
    expect(messages(p.warnings)).toEqual([
      `group web-asg: target group theirs is attached but not in the YAML, and not by this tool (no ${PREFIX}targetgroup/theirs/00000000000000bb tag): left attached`,
      `group web-asg: load balancer their-elb is attached but not in the YAML, and not by this tool (no ${PREFIX}loadbalancer/their-elb tag): left attached`,
    ]);
  });

  it('a target group and an ELB replaced in the YAML: each detach of ours waits for the attaches (capacity first)', () => {
    const p = planFor(
      `groups:\n  web-asg:\n    target_groups: [${TG_ARN}]\n    load_balancers: [new-elb]\n`,
      liveGroup({
        targetGroupArns: [OLD_ARN],
        loadBalancerNames: ['our-elb'],
        tags: {
          [OLD_TAG]: 'autoscale-gitops',
          [`${PREFIX}loadbalancer/our-elb`]: 'autoscale-gitops',
          [`${PREFIX}loadbalancer/gone-elb`]: 'autoscale-gitops',
        },
      }),
    );
    const attaches = ['web/groups/web-asg/target_groups/web', 'web/groups/web-asg/load_balancers/new-elb'];
    expect(p.changes.map((c) => [c.address, c.operation.kind, c.dependsOn])).toEqual([
      [attaches[0], 'attach_to_group', []],
      [attaches[1], 'attach_to_group', []],
      ['web/groups/web-asg/target_groups/old', 'detach_from_group', attaches],
      ['web/groups/web-asg/load_balancers/our-elb', 'detach_from_group', attaches],
      // Only a tag to drop (detached by hand already): no capacity at stake, nothing to wait for.
      ['web/groups/web-asg/load_balancers/gone-elb', 'detach_from_group', []],
    ]);
  });

  it('drops an ownership tag whose attachment is gone and unwanted; re-attaches one the YAML still wants', () => {
    const p = planFor(
      `groups:\n  web-asg:\n    target_groups: [${TG_ARN}]\n`,
      liveGroup({ tags: { [TAG]: 'autoscale-gitops', [OLD_TAG]: 'autoscale-gitops' } }),
    );
    expect(rows(p)).toEqual([
      ['web/groups/web-asg/target_groups/web', { target_group: null }, { target_group: 'web' }],
      ['web/groups/web-asg/target_groups/old', { ownership_tag: OLD_TAG }, { ownership_tag: null }],
    ]);
    expect(ops(p)[1]).toEqual({
      kind: 'detach_from_group',
      group: 'web-asg',
      attachment: 'target_group',
      target: 'old',
      ownerTag: OLD_TAG,
      attached: false,
    });
    expect(headline(p.changes[1] as Plan['changes'][number])).toBe(
      '~ untag autoscaling_group web-asg (target group old)',
    );
  });

  it('a listed target group that is missing or unread is not attached, and its ownership tag is kept', () => {
    const yaml = `groups:\n  web-asg:\n    target_groups: [${TG_ARN}]\n`;
    const owned = liveGroup({ tags: { [TAG]: 'autoscale-gitops' } });
    const missing = planFor(yaml, owned, { [TG_ARN]: null });
    expect(missing.changes).toEqual([]);
    expect(messages(missing.errors)).toEqual([
      `target group web does not exist (${TG_ARN}): it cannot be attached to a group, and no target is registered in it`,
    ]);
    const unread = plan(
      desired(yaml),
      liveWith({
        groups: { 'web-asg': owned },
        instances: [running(iid(1))],
        targetGroups: { [TG_ARN]: { known: false, reason: 'Throttling: slow down' } },
      }),
      NOW,
    );
    expect(unread.changes).toEqual([]);
    expect(messages(unread.errors)).toEqual([
      'target group web could not be read (Throttling: slow down); it is not attached to a group, and its targets are neither registered nor deregistered this run',
    ]);
  });

  it('an attach whose ownership tag would pass 50 tags on the group is an error; aws: tags do not count', () => {
    const tags = Object.fromEntries([
      ...Array.from({ length: 49 }, (_, i) => [`team-${i}`, 'x']),
      ['aws:cloudformation:stack-name', 'web'],
    ]);
    const p = planFor(
      `groups:\n  web-asg:\n    target_groups: [${TG_ARN}]\n    load_balancers: [classic-web]\n`,
      liveGroup({ tags }),
    );
    expect(ops(p)).toEqual([expect.objectContaining({ kind: 'attach_to_group', target: TG_ARN })]);
    expect(messages(p.errors)).toEqual([
      "group web-asg: load balancer classic-web is not attached: its ownership tag would pass AWS's 50 tags per group (free a tag, or attach it by hand)",
    ]);
  });

  it('creates a missing group with its instance target groups, load balancers, ownership tags and health check', () => {
    const p = planFor(
      `groups:
  web-asg:
    min: 1
    max: 2
    launch_template: { name: web }
    availability_zones: [us-east-1a]
    target_groups: [${TG_ARN}, ${IP_ARN}]
    load_balancers: [classic-web]
    health_check: { type: ELB, grace: 5m }
`,
      null,
    );
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]?.after).toMatchObject({
      target_groups: ['web'],
      load_balancers: ['classic-web'],
      health_check_type: 'ELB',
      health_check_grace: 300,
    });
    expect(p.changes[0]?.operation).toMatchObject({
      kind: 'create_group',
      targetGroupArns: [TG_ARN],
      loadBalancerNames: ['classic-web'],
      attachedTags: [TAG, `${PREFIX}loadbalancer/classic-web`],
      healthCheckType: 'ELB',
      healthCheckGrace: 300,
    });
  });
});

describe('health_check', () => {
  it.each([
    [
      'type only',
      '{ type: ELB }',
      { health_check_type: 'EC2' },
      { health_check_type: 'ELB' },
      { healthCheckType: 'ELB' },
    ],
    [
      'grace only',
      '{ grace: 90s }',
      { health_check_grace: 0 },
      { health_check_grace: 90 },
      { healthCheckGrace: 90 },
    ],
    [
      'both',
      '{ type: ELB, grace: 1m30s }',
      { health_check_type: 'EC2', health_check_grace: 0 },
      { health_check_type: 'ELB', health_check_grace: 90 },
      { healthCheckType: 'ELB', healthCheckGrace: 90 },
    ],
  ])('updates %s, and only what differs', (_name, spec, before, after, fields) => {
    const p = planFor(`groups:\n  web-asg:\n    health_check: ${spec}\n`, liveGroup());
    expect(rows(p)).toEqual([['web/groups/web-asg', before, after]]);
    expect(ops(p)).toEqual([{ kind: 'update_group', group: 'web-asg', ...fields }]);
  });

  it('plans nothing when AWS has what the YAML says, and nothing at all without health_check', () => {
    const yaml = 'groups:\n  web-asg:\n    health_check: { type: ELB, grace: 5m }\n';
    const live = liveGroup({ healthCheckType: 'ELB', healthCheckGrace: 300 });
    expect(planFor(yaml, live).changes).toEqual([]);
    expect(planFor('groups:\n  web-asg:\n    max: 10\n', live).changes).toEqual([]);
    // The same YAML against a group that differs only in its grace: a change (the quiet plan is no accident).
    expect(rows(planFor(yaml, { ...live, healthCheckGrace: 10 }))).toEqual([
      ['web/groups/web-asg', { health_check_grace: 10 }, { health_check_grace: 300 }],
    ]);
  });
});
