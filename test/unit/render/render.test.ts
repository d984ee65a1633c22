import { describe, expect, it } from 'vitest';
import { whereLink } from '../../../src/github/report.ts';
import type { ApplyReport, ChangeResult, Plan } from '../../../src/model.ts';
import { plan } from '../../../src/plan/index.ts';
import { render } from '../../../src/render/index.ts';
import { COMMENT_PLAN } from '../../support/comment-plan.ts';
import { alarm, desiredFrom, group, liveOf, NOW, stepPolicy } from '../plan/fixtures.ts';

const YAML = `groups:
  web-asg:
    min: 2
    max: 8
    triggers:
      cpu:
        metric: CPUUtilization
        period: 60
        breach_duration: 360
        upper: { threshold: 85, adjust: 10 }
  ghost-asg:
    min: 1
    max: 2
`;

function samplePlan(): Plan {
  return plan(
    desiredFrom(YAML),
    liveOf({
      groups: { 'web-asg': group('web-asg', { min: 1, max: 4, desired: 2 }), 'ghost-asg': null },
      policies: [
        stepPolicy('web-asg', 'gitops-web-asg-cpu-up', 10),
        stepPolicy('web-asg', 'gitops-web-asg-old-up', 1),
      ],
      alarms: [alarm('gitops-web-asg-cpu-up', { group: 'web-asg', threshold: 80, upper: true })],
    }),
    NOW,
  );
}

function reportOf(p: Plan, results: Record<string, ChangeResult>): ApplyReport {
  const map = new Map(Object.entries(results));
  const count = (s: ChangeResult['status']) => [...map.values()].filter((r) => r.status === s).length;
  return {
    plan: p,
    results: map,
    applied: count('applied'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

describe('text', () => {
  it('starts with the summary line and shows each change with before → after', () => {
    expect(render('text', samplePlan())).toBe(`Plan: 0 to create, 2 to update, 1 to delete. 1 error.

  ~ update autoscaling_group web-asg  (clusters/web.yml:2)
      # web/groups/web-asg: min 1 → 2, max 4 → 8
      ~ min: 1 → 2
      ~ max: 4 → 8

  ~ update metric_alarm gitops-web-asg-cpu-up  (clusters/web.yml:10)
      # web/groups/web-asg/alarms/gitops-web-asg-cpu-up: trigger cpu (upper): threshold 80 → 85
      ~ threshold: 80 → 85

  - delete scaling_policy gitops-web-asg-old-up  (clusters/web.yml:2)
      # web/groups/web-asg/policies/gitops-web-asg-old-up: policy gitops-web-asg-old-up is owned (gitops- prefix) and no trigger of web-asg wants it
      - policy_type: StepScaling
      - adjustment_type: ChangeInCapacity
      - scaling_adjustment: 1
      - step: at or above threshold

Errors:
  clusters/web.yml:11: group ghost-asg does not exist in us-east-1 and the YAML cannot create it (no launch_template): give launch_template and availability_zones or subnets, or create the group
`);
  });

  it('says "No changes." when there are none', () => {
    const quiet = plan(
      desiredFrom('groups:\n  g:\n    min: 1\n'),
      liveOf({ groups: { g: group('g', { min: 1, max: 2, desired: 1 }) } }),
      NOW,
    );
    expect(render('text', quiet)).toBe('No changes.\n');
  });

  it('shows each change result after apply', () => {
    const p = samplePlan();
    const [a, b, c] = p.changes.map((ch) => ch.address);
    const text = render(
      'text',
      p,
      reportOf(p, {
        [a ?? '']: { status: 'applied' },
        [b ?? '']: { status: 'failed', error: 'ValidationError: nope' },
        [c ?? '']: { status: 'skipped', why: 'depends on x, which failed' },
      }),
    );
    expect(text.split('\n')[1]).toBe('Apply: 1 applied, 1 failed, 1 skipped.');
    expect(text).toContain('      => applied\n');
    expect(text).toContain('      => FAILED: ValidationError: nope\n');
    expect(text).toContain('      => skipped: depends on x, which failed\n');
    const noted = render(
      'text',
      p,
      reportOf(p, { [a ?? '']: { status: 'applied', note: 'HTTP 404: already gone' } }),
    );
    expect(noted).toContain('      => applied (HTTP 404: already gone)\n');
  });
});

describe('json', () => {
  it('follows CONTRACT.md: format 1, summary, changes, blocked, warnings, plus errors', () => {
    const doc = JSON.parse(render('json', samplePlan()));
    expect(Object.keys(doc)).toEqual(['format', 'summary', 'changes', 'blocked', 'warnings', 'errors']);
    expect(doc.format).toBe(1);
    expect(doc.summary).toEqual({ create: 0, update: 2, delete: 1, register: 0, deregister: 0, blocked: 0 });
    expect(doc.changes[0]).toEqual({
      address: 'web/groups/web-asg',
      type: 'autoscaling_group',
      action: 'update',
      id: 'web-asg',
      file: 'clusters/web.yml',
      line: 2,
      before: { min: 1, max: 4 },
      after: { min: 2, max: 8 },
      reason: 'min 1 → 2, max 4 → 8',
    });
    expect(doc.changes[2].after).toBeNull();
    expect(doc.errors).toEqual([
      {
        address: 'web/groups/ghost-asg',
        file: 'clusters/web.yml',
        line: 11,
        message: expect.stringContaining('ghost-asg does not exist'),
      },
    ]);
  });

  it('puts a result on each change after apply', () => {
    const p = samplePlan();
    const [a, b, c] = p.changes.map((ch) => ch.address);
    const doc = JSON.parse(
      render(
        'json',
        p,
        reportOf(p, {
          [a ?? '']: { status: 'applied' },
          [b ?? '']: { status: 'failed', error: 'boom' },
          [c ?? '']: { status: 'skipped', why: 'because' },
        }),
      ),
    );
    expect(doc.changes.map((ch: Record<string, unknown>) => [ch.result, ch.error, ch.why])).toEqual([
      ['applied', undefined, undefined],
      ['failed', 'boom', undefined],
      ['skipped', undefined, 'because'],
    ]);
  });
});

describe('markdown', () => {
  it('is the comment: marker, counts first, each cluster folded with a table and a diff', () => {
    const md = render('markdown', samplePlan());
    const lines = md.split('\n');
    expect(lines[0]).toBe('<!-- autoscale-gitops plan: clusters -->');
    expect(lines[1]).toBe('**❌ Plan: 2 to update, 1 to delete · 1 error**');
    expect(md).toContain(
      '| ~ update | `web-asg` | autoscaling_group | min 1 → 2, max 4 → 8 | clusters/web.yml:2 |',
    );
    expect(md).toContain('```diff\n~ update autoscaling_group web-asg\n!   min: 1 → 2\n!   max: 4 → 8\n');
    expect(md).toContain('-   scaling_adjustment: 1');
    expect(md).toContain('**❌ Errors (1)**\n\n- clusters/web.yml:11: group ghost-asg does not exist');
  });

  it('keeps table cells and fences intact whatever the text holds', () => {
    const p = samplePlan();
    const first = p.changes[0];
    if (first === undefined) throw new Error('no change');
    const hostile: Plan = {
      ...p,
      changes: [{ ...first, reason: 'a | b <script> `x`', after: { note: '```\nend' } }],
    };
    const md = render('markdown', hostile);
    expect(md).toContain('a \\| b &lt;script&gt; \\`x\\`');
    expect(md).toContain('````diff\n');
  });
});

describe('the source of a size a schedule put in force (issue 12)', () => {
  it('is in the JSON per field, and in the text and Markdown reason', () => {
    const yaml = `groups:
  web-asg:
    min: 2
    max: 6
    schedules:
      weeknights: { recurrence: "0 21 * * MON-FRI", until: "0 7 * * TUE-SAT", time_zone: Europe/Berlin, max: 4 }
`;
    const live = liveOf({
      groups: { 'web-asg': group('web-asg', { min: 2, max: 6, desired: 2 }) },
      schedules: [],
    });
    const p = plan(desiredFrom(yaml), live, new Date('2030-06-03T20:00:00Z'));
    const reason = 'max 6 → 4 (window weeknights, fired Mon 21:00 Europe/Berlin; YAML max 6)';
    const doc = JSON.parse(render('json', p));
    expect(doc.changes[0]).toMatchObject({
      type: 'autoscaling_group',
      reason,
      source: {
        max: {
          from: 'schedule',
          label: 'window weeknights',
          scheduled_action: 'gitops-web-asg-weeknights',
          fired: '2030-06-03T19:00:00.000Z',
          time_zone: 'Europe/Berlin',
          yaml: 6,
        },
      },
    });
    expect(doc.changes[1].source).toBeUndefined();
    expect(render('text', p)).toContain(reason);
    expect(render('markdown', p)).toContain('fired Mon 21:00 Europe/Berlin; YAML max 6');
  });
});

describe('changes read at a glance', () => {
  it('names each action for what happens, a container instance by its instance id, and only changed fields', () => {
    const text = render('text', COMMENT_PLAN);
    expect(text).toContain(
      '  ~ drain ecs_container_instance i-020e4a8b9c1d2e3f4  (clusters/web-cluster.yml:2)',
    );
    // The drain's one changed field, and no line for the instance id both sides share.
    expect(text).toContain('      ~ status: ACTIVE → DRAINING\n\n');
    expect(text).not.toMatch(/instance: i-020e4a8b9c1d2e3f4 → i-020e4a8b9c1d2e3f4/);
    expect(text).toContain('  ~ bound correction ecs_service api');
    expect(text).toContain('  ~ scale in ecs_service backend');
    expect(text).toContain('  - terminate instance i-0990abcdef1234567');
    expect(text).toContain('  - prune registry_entry web-7.example.com');
    expect(text).toContain('  - deregister ecs_container_instance 9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d');
  });
});

describe('YAML links', () => {
  const context = { configKey: 'clusters', commit: 'abc123', repoUrl: 'https://github.com/acme/infra' };
  it('link a repository path at the commit, and nothing outside the repository', () => {
    expect(whereLink({ file: 'clusters/web app.yml', line: 4 }, context)).toBe(
      '[clusters/web app.yml:4](https://github.com/acme/infra/blob/abc123/clusters/web%20app.yml#L4)',
    );
    expect(whereLink({ file: '../other/web.yml', line: 4 }, context)).toBe('../other/web.yml:4');
    expect(whereLink({ file: '/etc/web.yml', line: 4 }, context)).toBe('/etc/web.yml:4');
    expect(whereLink({ file: 'clusters/web.yml', line: 4 }, { configKey: 'clusters' })).toBe(
      'clusters/web.yml:4',
    );
    expect(whereLink({}, context)).toBe('');
  });
});
