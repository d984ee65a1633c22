import { describe, expect, it } from 'vitest';
import { unknown } from '../../../src/model.ts';
import { plan } from '../../../src/plan/index.ts';
import { desiredFrom, group, liveOf, NOW } from './fixtures.ts';

const YAML = `
groups:
  web-asg:
    min: 2
    max: 8
    desired: 4
`;

describe('group sizes', () => {
  it('plans nothing when AWS matches the YAML', () => {
    const result = plan(
      desiredFrom(YAML),
      liveOf({ groups: { 'web-asg': group('web-asg', { min: 2, max: 8, desired: 4 }) } }),
      NOW,
    );
    expect(result.changes).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.summary).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      register: 0,
      deregister: 0,
      blocked: 0,
    });
  });

  it.each([
    ['min', { min: 1, max: 8, desired: 4 }, { min: 1 }, { min: 2 }],
    ['max', { min: 2, max: 5, desired: 4 }, { max: 5 }, { max: 8 }],
    ['desired', { min: 2, max: 8, desired: 7 }, { desired: 7 }, { desired: 4 }],
  ])('updates drift in %s only', (_field, live, before, after) => {
    const result = plan(desiredFrom(YAML), liveOf({ groups: { 'web-asg': group('web-asg', live) } }), NOW);
    expect(result.changes).toHaveLength(1);
    const change = result.changes[0];
    expect(change).toMatchObject({
      address: 'web/groups/web-asg',
      type: 'autoscaling_group',
      action: 'update',
      id: 'web-asg',
      file: 'clusters/web.yml',
      line: 3,
      before,
      after,
    });
    expect(change?.operation).toEqual({ kind: 'update_group', group: 'web-asg', ...after });
    expect(result.summary.update).toBe(1);
  });

  it('says which values change, old first', () => {
    const result = plan(
      desiredFrom(YAML),
      liveOf({ groups: { 'web-asg': group('web-asg', { min: 1, max: 4, desired: 4 }) } }),
      NOW,
    );
    expect(result.changes[0]?.reason).toBe('min 1 → 2, max 4 → 8');
  });

  it('leaves sizes the YAML does not set as AWS has them', () => {
    const desired = desiredFrom('groups:\n  web-asg:\n    max: 8\n');
    const result = plan(
      desired,
      liveOf({ groups: { 'web-asg': group('web-asg', { min: 0, max: 8, desired: 3 }) } }),
      NOW,
    );
    expect(result.changes).toEqual([]);
  });

  it('notes that AWS moves desired along with a min it no longer satisfies', () => {
    const desired = desiredFrom('groups:\n  web-asg:\n    min: 5\n    max: 8\n');
    const result = plan(
      desired,
      liveOf({ groups: { 'web-asg': group('web-asg', { min: 1, max: 8, desired: 2 }) } }),
      NOW,
    );
    expect(result.changes[0]?.reason).toBe('min 1 → 5 (AWS moves desired 2 → 5 with it)');
    expect(result.changes[0]?.operation).toEqual({ kind: 'update_group', group: 'web-asg', min: 5 });
  });

  it('never deletes a group, even one AWS has and the YAML does not name', () => {
    const result = plan(
      desiredFrom(YAML),
      liveOf({
        groups: {
          'web-asg': group('web-asg', { min: 2, max: 8, desired: 4 }),
          old: group('old', { min: 1, max: 1, desired: 1 }),
        },
      }),
      NOW,
    );
    expect(result.changes).toEqual([]);
  });
});

describe('a group missing in AWS', () => {
  const CREATABLE = `
groups:
  new-asg:
    min: 1
    max: 3
    launch_template: { name: web, version: $Latest }
    availability_zones: [us-east-1a, us-east-1b]
    triggers:
      cpu:
        metric: CPUUtilization
        upper: { threshold: 80, adjust: 1 }
    schedules:
      nightly: { recurrence: "0 22 * * *", min: 1 }
`;

  it('is created when the YAML gives a launch template and zones, and its objects wait for it', () => {
    const result = plan(desiredFrom(CREATABLE), liveOf({ groups: { 'new-asg': null } }), NOW);
    expect(result.errors).toEqual([]);
    const [create, ...rest] = result.changes;
    expect(create).toMatchObject({
      address: 'web/groups/new-asg',
      action: 'create',
      before: null,
      after: {
        min: 1,
        max: 3,
        launch_template: { name: 'web', version: '$Latest' },
        availability_zones: ['us-east-1a', 'us-east-1b'],
      },
    });
    expect(create?.operation).toEqual({
      kind: 'create_group',
      group: 'new-asg',
      min: 1,
      max: 3,
      launch: {
        launchTemplate: { name: 'web', version: '$Latest' },
        availabilityZones: ['us-east-1a', 'us-east-1b'],
      },
    });
    expect(rest.map((c) => [c.type, c.action])).toEqual([
      ['scaling_policy', 'create'],
      ['metric_alarm', 'create'],
      ['scheduled_action', 'create'],
    ]);
    for (const change of rest) expect(change.dependsOn).toContain('web/groups/new-asg');
    expect(result.summary.create).toBe(4);
  });

  it('can be created in subnets instead of zones', () => {
    const desired = desiredFrom(
      'groups:\n  new-asg:\n    min: 0\n    max: 2\n    launch_template: { id: lt-0abc }\n    subnets: [subnet-1, subnet-2]\n',
    );
    const result = plan(desired, liveOf({ groups: { 'new-asg': null } }), NOW);
    expect(result.changes[0]?.operation).toMatchObject({
      kind: 'create_group',
      launch: { launchTemplate: { id: 'lt-0abc' }, subnets: ['subnet-1', 'subnet-2'] },
    });
  });

  it('is an error when the YAML has no launch template, and other groups still plan', () => {
    const desired = desiredFrom(`
groups:
  ghost-asg:
    min: 1
    max: 2
    triggers:
      cpu: { metric: CPUUtilization, upper: { threshold: 80, adjust: 1 } }
  web-asg:
    min: 2
    max: 8
`);
    const result = plan(
      desired,
      liveOf({ groups: { 'ghost-asg': null, 'web-asg': group('web-asg', { min: 1, max: 8, desired: 1 }) } }),
      NOW,
    );
    expect(result.errors).toEqual([
      {
        address: 'web/groups/ghost-asg',
        file: 'clusters/web.yml',
        line: 3,
        message: expect.stringMatching(
          /ghost-asg does not exist in us-east-1 and the YAML cannot create it \(no launch_template\)/,
        ),
      },
    ]);
    expect(result.changes.map((c) => c.address)).toEqual(['web/groups/web-asg']);
  });

  it('is an error when zones are given without a template', () => {
    const desired = desiredFrom(
      'groups:\n  g:\n    min: 1\n    max: 2\n    availability_zones: [us-east-1a]\n',
    );
    const result = plan(desired, liveOf({ groups: { g: null } }), NOW);
    expect(result.changes).toEqual([]);
    expect(result.errors[0]?.message).toMatch(
      /availability_zones or subnets are set but launch_template is not/,
    );
  });

  it('is an error when min or max is missing', () => {
    const desired = desiredFrom(
      'groups:\n  g:\n    max: 2\n    launch_template: { name: web }\n    subnets: [subnet-1]\n',
    );
    const result = plan(desired, liveOf({ groups: { g: null } }), NOW);
    expect(result.changes).toEqual([]);
    expect(result.errors[0]?.message).toMatch(/min and max are needed/);
  });
});

describe('a group that could not be read', () => {
  it('is an error and nothing of it is planned', () => {
    const desired = desiredFrom(`
groups:
  web-asg:
    min: 2
    max: 8
    schedules:
      nightly: { recurrence: "0 22 * * *", min: 1 }
`);
    const result = plan(
      desired,
      liveOf({ groups: { 'web-asg': unknown('Throttling: rate exceeded') } }),
      NOW,
    );
    expect(result.changes).toEqual([]);
    expect(result.errors[0]?.message).toBe(
      'group web-asg could not be read (Throttling: rate exceeded); not planned',
    );
  });
});
