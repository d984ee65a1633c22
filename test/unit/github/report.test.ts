import { describe, expect, it } from 'vitest';
import { chart, decisionsMarkdown, decisionsOf, ruleText } from '../../../src/github/decisions.ts';
import { COMMENT_LIMIT, fitDocument, SUMMARY_LIMIT } from '../../../src/github/fit.ts';
import { sizeOf } from '../../../src/github/markdown.ts';
import { redactDeep } from '../../../src/github/redact.ts';
import {
  applyCountsLine,
  buildDocument,
  commentCutNote,
  countsLine,
  type Outcome,
  summaryCutNote,
} from '../../../src/github/report.ts';
import { stickyBody } from '../../../src/github/sticky.ts';
import type { ApplyReport, ChangeResult, Plan } from '../../../src/model.ts';
import { redact } from '../../../src/secrets.ts';
import { change, planOf } from './helpers.ts';

const CONTEXT = { configKey: 'clusters', commit: '0123456789abcdef' };

function markdown(outcome: Outcome, limit = SUMMARY_LIMIT): string {
  return fitDocument(buildDocument(outcome, CONTEXT), { limit, note: commentCutNote('https://run') })
    .markdown;
}

function reportOf(plan: Plan, results: Record<string, ChangeResult>): ApplyReport {
  const map = new Map(Object.entries(results));
  const n = (s: ChangeResult['status']) => [...map.values()].filter((r) => r.status === s).length;
  return { plan, results: map, applied: n('applied'), failed: n('failed'), skipped: n('skipped') };
}

const SAMPLE = planOf(
  [
    change('web/groups/web-asg', 'update', {
      before: { min: 1, max: 4 },
      after: { min: 2, max: 8 },
      reason: 'min 1 → 2, max 4 → 8',
    }),
    change('web/groups/api-asg', 'update'),
    change('web/groups/new-asg', 'create', { after: { min: 1, max: 2, availability_zones: ['us-east-1a'] } }),
    change('jobs/groups/batch', 'update', { file: 'clusters/jobs.yml' }),
  ],
  {
    blocked: [
      { address: 'web/prune/targets', reason: 'would prune 9 of 12 target registrations (75% > 25%)' },
    ],
  },
);

describe('the counts line', () => {
  it('names only the actions there are, then what is blocked and the errors', () => {
    expect(countsLine(SAMPLE)).toBe('Plan: 1 to create, 3 to update · 1 blocked');
    const deregistering = planOf([
      change('a/t/1', 'deregister'),
      change('a/t/2', 'deregister'),
      change('a/t/3', 'deregister'),
    ]);
    expect(countsLine(deregistering)).toBe('Plan: 3 to deregister');
    expect(countsLine(planOf([]))).toBe('No changes.');
    expect(countsLine(planOf([], { errors: [{ message: 'x' }, { message: 'y' }] }))).toBe(
      'Plan: no changes · 2 errors',
    );
  });

  it('after apply: applied, failed, skipped, blocked', () => {
    const report = reportOf(SAMPLE, {
      'web/groups/web-asg': { status: 'applied' },
      'web/groups/api-asg': { status: 'failed', error: 'ValidationError: max too small' },
      'web/groups/new-asg': { status: 'applied' },
      'jobs/groups/batch': { status: 'skipped', why: 'depends on a failed change' },
    });
    expect(applyCountsLine(report)).toBe('Apply: 2 applied, 1 failed, 1 skipped · 1 blocked');
    expect(applyCountsLine(reportOf(planOf([]), {}))).toBe('No changes.');
  });
});

describe('the plan document', () => {
  it('starts with the counts, then blocked changes, then one folded section per cluster', () => {
    const md = markdown({ kind: 'plan', plan: SAMPLE, diagnostics: [] });
    const lines = md.split('\n');
    expect(lines[0]).toBe('**Plan: 1 to create, 3 to update · 1 blocked**');
    expect(lines[1]).toBe('<sub>autoscale-gitops · `clusters` · commit `0123456`</sub>');
    expect(md.indexOf('⛔ Blocked (1)')).toBeLessThan(md.indexOf('<details>'));
    expect(md).toContain(
      '- would prune 9 of 12 target registrations (75% &gt; 25%): 1 change held back (`web/prune/targets`).',
    );
    const summaries = lines.filter((l) => l.startsWith('<summary>'));
    expect(summaries).toEqual([
      '<summary><b>jobs</b> · <code>clusters/jobs.yml</code> · 1 to update</summary>',
      '<summary><b>web</b> · <code>clusters/web.yml</code> · 1 to create, 2 to update</summary>',
    ]);
    expect(md).toContain(
      '| ~ update | `web-asg` | autoscaling_group | min 1 → 2, max 4 → 8 | clusters/web.yml:3 |',
    );
    expect(md).toContain('```diff\n~ update autoscaling_group web-asg\n!   min: 1 → 2\n!   max: 4 → 8\n');
    expect(md).toContain('+   availability_zones: [us-east-1a]');
  });

  it('says "No changes" when AWS matches', () => {
    const md = markdown({ kind: 'plan', plan: planOf([]), diagnostics: [] });
    expect(md.split('\n')[0]).toBe('**No changes.**');
    expect(md).toContain('AWS matches the configuration');
    expect(md).not.toContain('<details>');
  });

  it('lists every configuration error when the config is invalid', () => {
    const diagnostics = Array.from({ length: 15 }, (_, i) => ({
      file: 'clusters/web.yml',
      line: i + 1,
      col: 3,
      severity: 'error' as const,
      message: `max (1) is below min (${i + 2})`,
    }));
    const md = markdown({ kind: 'invalid', diagnostics });
    expect(md.split('\n')[0]).toBe('**❌ Configuration invalid: 15 errors. Nothing was planned.**');
    expect(md.match(/\| ❌ \| `clusters\/web\.yml:\d+:3` \|/g)).toHaveLength(15);
  });

  it('explains a skipped plan', () => {
    const md = markdown({
      kind: 'skipped',
      title: 'Plan skipped: pull request from a fork. Configuration valid.',
      why: 'This pull request comes from a fork (mallory/infra).',
      files: 2,
      diagnostics: [],
    });
    expect(md).toMatch(/^\*\*⏭️ Plan skipped: pull request from a fork\. Configuration valid\.\*\*/);
    expect(md).toContain('comes from a fork (mallory/infra).');
  });

  it('after apply: failures first with their errors, results in the tables', () => {
    const report = reportOf(SAMPLE, {
      'web/groups/web-asg': { status: 'applied' },
      'web/groups/api-asg': { status: 'failed', error: 'ValidationError: max too small' },
      'web/groups/new-asg': { status: 'applied' },
      'jobs/groups/batch': { status: 'skipped', why: 'depends on a failed change' },
    });
    const md = markdown({ kind: 'apply', plan: SAMPLE, report, diagnostics: [] });
    expect(md.split('\n')[0]).toBe('**❌ Apply: 2 applied, 1 failed, 1 skipped · 1 blocked**');
    const failed = md.indexOf('**❌ Failed (1)**');
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(md.indexOf('**⛔ Blocked (1)**'));
    expect(md).toContain('- `web/groups/api-asg`: ValidationError: max too small');
    expect(md).toContain('**⏭️ Skipped (1)**');
    expect(md).toContain('| Result |');
    expect(md).toContain('| FAILED: ValidationError: max too small |');
  });

  it('escapes what the YAML or AWS put in names and reasons', () => {
    const plan = planOf([
      change('<script>/groups/<img src=x>', 'update', { reason: 'a | b *c* `d` _e_ f_g', file: '<i>.yml' }),
    ]);
    const md = markdown({ kind: 'plan', plan, diagnostics: [] });
    // Outside code spans and fences (where HTML is text), no tag from the data survives.
    const prose = md.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`]*`/g, '');
    expect(prose).not.toMatch(/<img|<script|<i>/);
    expect(md).toContain('<b>&lt;script&gt;</b>');
    expect(md).toContain('a \\| b \\*c\\* \\`d\\` \\_e\\_ f_g');
  });

  it('shows a secret nowhere once the outcome is redacted', () => {
    const secret = 's3cr3t-launch-template';
    const plan = planOf([
      change('web/groups/web-asg', 'create', {
        after: { launch_template: { name: secret } },
        reason: `created from launch template ${secret}`,
      }),
    ]);
    const hide = (t: string) => redact(t, [secret]);
    const md = markdown(redactDeep({ kind: 'plan', plan, diagnostics: [] }, hide));
    expect(md).not.toContain(secret);
    expect(md).toContain('created from launch template \\*\\*\\*');
  });
});

describe('a long plan', () => {
  const many = planOf(
    Array.from({ length: 2_000 }, (_, i) =>
      change(`cluster${i % 3}/groups/group-${String(i).padStart(4, '0')}`, 'update', {
        before: { min: 1, max: 4, desired: 2 },
        after: { min: 2, max: 8, desired: 3 },
        reason: 'min 1 → 2, max 4 → 8, desired 2 → 3',
      }),
    ),
  );

  it('is cut under the comment limit at a section boundary, pointing to the job summary', () => {
    const doc = buildDocument({ kind: 'plan', plan: many, diagnostics: [] }, CONTEXT);
    const mark = '<!-- autoscale-gitops plan: clusters -->';
    const fitted = fitDocument(doc, {
      limit: COMMENT_LIMIT - sizeOf(mark) - 1,
      note: commentCutNote('https://run/1'),
    });
    const body = stickyBody(mark, fitted.markdown);
    expect(sizeOf(body)).toBeLessThan(COMMENT_LIMIT);
    expect(body.length).toBeGreaterThan(40_000);
    expect(body.split('\n')[1]).toBe('**Plan: 2000 to update**');
    expect(body.match(/<details>/g)?.length).toBe(body.match(/<\/details>/g)?.length);
    expect((body.match(/^`{3,}/gm)?.length ?? 0) % 2).toBe(0);
    expect(fitted.omitted.items).toBeGreaterThan(0);
    expect(body).toContain(`${fitted.omitted.items.toLocaleString('en-US')} changes) not shown here`);
    expect(body).toContain('The full plan is in the [job summary](https://run/1).');
  });

  it('fits the job summary limit too, in parts per cluster', () => {
    const doc = buildDocument({ kind: 'plan', plan: many, diagnostics: [] }, CONTEXT);
    const fitted = fitDocument(doc, { limit: SUMMARY_LIMIT, note: summaryCutNote });
    expect(sizeOf(fitted.markdown)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(fitted.markdown).toMatch(
      /<b>cluster0<\/b> · <code>clusters\/cluster0\.yml<\/code> · \d+ to update \(part 1 of \d+\)/,
    );
  });

  it('caps one huge change so it cannot fill a section alone', () => {
    const huge = planOf([
      change('c/groups/g', 'update', {
        before: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'x'.repeat(1_000)])),
        after: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'y'.repeat(1_000)])),
        reason: 'r'.repeat(10_000),
      }),
    ]);
    const md = markdown({ kind: 'plan', plan: huge, diagnostics: [] });
    expect(sizeOf(md)).toBeLessThan(20_000);
    expect(md).toContain('175 more fields in the plan JSON');
  });
});

describe('ECS decisions', () => {
  const decision = {
    metric: 'queue_length',
    value: 12,
    rule: { min: 5, max: null, action: 1 },
    series: [
      { at: '2030-06-01T11:50:00Z', value: 3 },
      { at: '2030-06-01T11:55:00Z', value: 7.25 },
      { at: '2030-06-01T12:00:00Z', value: 12 },
    ],
  };
  const service = change('my_cluster/services/worker', 'update', {
    type: 'ecs_service',
    before: { desired: 2 },
    after: { desired: 3 },
    reason: 'queue_length 12 ≥ 5: +1 task',
    extra: { decisions: [decision] },
  });

  it('shows the rule that fired with the metric value, and a chart of the metric against the rule', () => {
    expect(decisionsOf(service)).toEqual([decision]);
    expect(ruleText(decision.rule)).toBe('x ≥ 5 → +1 task');
    const md = decisionsMarkdown(service);
    expect(md).toContain('| `queue_length` | 12 | x ≥ 5 → +1 task |');
    expect(chart([decision])).toBe(
      [
        '```mermaid',
        '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#2f81f7, #e5534b"}}}}%%',
        'xychart-beta',
        '    title "queue_length"',
        '    x-axis ["11:50", "11:55", "12:00"]',
        '    y-axis "queue_length"',
        '    line [3, 7.25, 12]',
        '    line [5, 5, 5]',
        '```',
        '',
        'Lines: 🟦 `queue_length` · 🟥 ≥ 5 → +1 (times in UTC)',
      ].join('\n'),
    );
    const doc = markdown({ kind: 'plan', plan: planOf([service]), diagnostics: [] });
    expect(doc).toContain('queue_length 12 ≥ 5: +1 task');
    expect(doc).toContain('```mermaid');
  });

  it('lists every service of a cluster with its decision, count, metric values and the rule that decided', () => {
    const plan: Plan = {
      ...planOf([service]),
      decisions: [
        {
          kind: 'ecs_service',
          address: 'my_cluster/services/worker',
          id: 'worker',
          cluster: 'my_cluster',
          outcome: 'scale',
          metrics: { queue_length: 12, cpu_usage: 40.123456 },
          events: [
            {
              index: 0,
              metric: 'queue_length',
              value: 12,
              result: 'fired',
              min: 5,
              max: null,
              action: 1,
              line: 31,
            },
          ],
          before: 2,
          after: 3,
          reason: 'queue_length 12 ≥ 5: +1 task',
        },
        {
          kind: 'ecs_service',
          address: 'my_cluster/services/web',
          id: 'web',
          cluster: 'my_cluster',
          outcome: 'cooldown',
          metrics: { requests: null },
          events: [
            { index: 0, metric: 'requests', value: 0, result: 'no_match', min: 100, max: null, action: 1 },
          ],
          before: 2,
          after: 2,
          reason: 'scaled 2 minutes ago; cooldown 300 s',
        },
      ],
    };
    const md = markdown({ kind: 'plan', plan, diagnostics: [] });
    expect(md).toContain(
      '<summary><b>my_cluster</b> · ECS decisions · 1 ⬆️ scale out, 1 ⏳ cooldown</summary>',
    );
    expect(md).toContain(
      '| `worker` | service | ⬆️ scale out | 2 → 3 | queue_length = 12, cpu_usage = 40.12 | queue_length = 12: x ≥ 5 → +1 task (line 31) | queue_length 12 ≥ 5: +1 task |',
    );
    expect(md).toContain(
      '| `web` | service | ⏳ cooldown | 2 | requests = unknown | no event matched | scaled 2 minutes ago; cooldown 300 s |',
    );
  });

  it('draws nothing without a series and ignores data of another shape', () => {
    expect(chart([{ metric: 'cpu', value: 50 }])).toBe('');
    expect(decisionsOf(change('a/b', 'update', { extra: { decisions: [{ nope: 1 }] } }))).toEqual([]);
    expect(decisionsMarkdown(change('a/b', 'update'))).toBe('');
  });
});
