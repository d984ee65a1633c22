/**
 * The comment as GitHub shows it: rendered by markdown-it (CommonMark + GFM tables, raw HTML
 * allowed as GitHub allows <details>), for a plan with every change type, before and after apply,
 * whole and cut under a small limit. What a reviewer would see broken is checked on the HTML:
 * table rows with a cell too many or too few, a fold left open (or swallowed by a code block),
 * a fence that never closed, a cell holding an unbreakable 90-character ARN.
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { planComment } from '../../../src/github/comment.ts';
import { fitDocument } from '../../../src/github/fit.ts';
import { sizeOf } from '../../../src/github/markdown.ts';
import { buildDocument, commentCutNote, type ReportContext } from '../../../src/github/report.ts';
import type { ChangeType } from '../../../src/model.ts';
import { COMMENT_PLAN, commentReport } from '../../support/comment-plan.ts';

const CONTEXT: ReportContext = {
  configKey: 'clusters',
  commit: '0123456789abcdef0123456789abcdef01234567',
  repoUrl: 'https://github.com/acme/infra',
  runUrl: 'https://github.com/acme/infra/actions/runs/42',
};

const ALL_TYPES: readonly ChangeType[] = [
  'autoscaling_group',
  'scaling_policy',
  'metric_alarm',
  'scheduled_action',
  'ecs_service',
  'ecs_container_instance',
  'instance',
  'target',
  'registry_entry',
];

const md = new MarkdownIt({ html: true });

interface Table {
  readonly header: number;
  readonly rows: number[];
  readonly cells: string[];
}

/** Every table: cells in the header, cells in each body row, and each cell's text. */
function tables(markdown: string): Table[] {
  const out: Table[] = [];
  let current: { header: number; rows: number[]; cells: string[] } | undefined;
  let inHead = false;
  let row = 0;
  for (const token of md.parse(markdown, {})) {
    if (token.type === 'table_open') current = { header: 0, rows: [], cells: [] };
    else if (token.type === 'thead_open') inHead = true;
    else if (token.type === 'thead_close') inHead = false;
    else if (token.type === 'tr_open') row = 0;
    else if (token.type === 'th_open' || token.type === 'td_open') row++;
    else if (token.type === 'tr_close' && current !== undefined) {
      if (inHead) current.header = row;
      else current.rows.push(row);
    } else if (token.type === 'inline' && current !== undefined) {
      // The text a reader sees: link targets are not shown, so they are left out.
      current.cells.push(
        (token.children ?? [])
          .filter((c) => c.type === 'text' || c.type === 'code_inline')
          .map((c) => c.content)
          .join(''),
      );
    } else if (token.type === 'table_close' && current !== undefined) {
      out.push(current);
      current = undefined;
    }
  }
  return out;
}

/** The rendered page's <details> open and close in order, never closing one not opened. */
function foldsBalanced(html: string): boolean {
  let depth = 0;
  for (const m of html.matchAll(/<(\/?)details>/g)) {
    depth += m[1] === '/' ? -1 : 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function check(markdown: string): string {
  const html = md.render(markdown);
  expect(foldsBalanced(html)).toBe(true);
  expect(html.match(/<details>/g)?.length ?? 0).toBeGreaterThan(0);
  // A fold or a summary inside a code block would show as text: a fence ran on.
  expect(html).not.toContain('&lt;/details&gt;');
  expect(html).not.toContain('&lt;summary&gt;');
  const found = tables(markdown);
  expect(found.length).toBeGreaterThan(0);
  for (const table of found) {
    expect(table.rows.length).toBeGreaterThan(0);
    for (const cells of table.rows) expect(cells).toBe(table.header);
    for (const cell of table.cells) {
      // A long unbreakable word widens its column past the comment and cuts off the last ones.
      const longest = Math.max(0, ...cell.split(/\s+/).map((w) => [...w].length));
      expect(longest, cell).toBeLessThanOrEqual(45);
    }
  }
  // Every fence closed: markdown-it's fence tokens are all the fences the source opened.
  const opened = markdown.split('\n').filter((l) => /^```+(diff|mermaid)$/.test(l)).length;
  const fences = md.parse(markdown, {}).filter((t) => t.type === 'fence');
  expect(fences.length).toBe(opened);
  return html;
}

describe('the comment rendered as GitHub renders it', () => {
  it('shows every change type in intact tables, balanced folds and closed fences', () => {
    const markdown = planComment(COMMENT_PLAN, undefined, CONTEXT);
    const html = check(markdown);
    for (const type of ALL_TYPES) expect(html).toContain(`<td>${type}</td>`);
    for (const verb of [
      'drain',
      'terminate',
      'register',
      'bound correction',
      'scale out',
      'scale in',
      'prune',
    ])
      expect(html).toMatch(new RegExp(`<td>[~+-] ${verb}</td>`));
    // Container instances by their instance id, never by their ARN, in tables and diffs alike.
    expect(html).not.toContain('arn:aws:ecs');
    // A field the same on both sides is not a change.
    expect(html).not.toMatch(/instance: (i-\w+) → \1/);
    // The value an expression computed, beside its inputs.
    expect(html).toContain('cpu = 15, mem = 40 → max([cpu, mem]) = 40');
    // Blocked entries once per guard, with the key to raise linked to its line.
    expect(html.match(/would prune 3 of 9 chef entries/g)).toHaveLength(1);
    expect(html).toContain(
      'raise <code>prune.max</code> at <a href="https://github.com/acme/infra/blob/0123456789abcdef0123456789abcdef01234567/clusters/web.yml#L22">clusters/web.yml:22</a>',
    );
    expect(html).toContain(
      '<a href="https://github.com/acme/infra/blob/0123456789abcdef0123456789abcdef01234567/clusters/web-cluster.yml#L6">clusters/web-cluster.yml:6</a>',
    );
    expect(html).toContain('<a href="https://github.com/acme/infra/actions/runs/42">workflow run</a>');
    // A chart for the expression too, each line named in the legend.
    expect(html).toContain('title &quot;max([cpu, mem])&quot;');
    expect(html).toContain('🟦 <code>max([cpu, mem])</code> · 🟥 ≥ 70 → +1 · 🟩 ≤ 40 → -1');
    // And for a service left as it is: why not, against its rules.
    expect(html).toContain('charts of the services left as they are (1)');
    expect(html).toContain('<strong>frontend</strong>: unchanged');
    expect(html).toContain('🟦 <code>max([cpu, mem])</code> · 🟥 ≥ 70 → +1 · 🟩 ≤ 20 → -1');
  });

  it('stays whole after apply, with a result column', () => {
    const markdown = planComment(COMMENT_PLAN, commentReport(), CONTEXT);
    const html = check(markdown);
    expect(html).toContain('<th>Result</th>');
    expect(html).toContain('FAILED: ValidationError: launch template api-lt not found');
  });

  it('stays whole when cut under a small limit, with the note where the cut is', () => {
    const whole = sizeOf(planComment(COMMENT_PLAN, undefined, CONTEXT));
    for (const share of [0.3, 0.5, 0.7, 0.9]) {
      const limit = Math.round(whole * share);
      const fitted = fitDocument(
        buildDocument({ kind: 'plan', plan: COMMENT_PLAN, diagnostics: [] }, CONTEXT),
        {
          limit,
          note: commentCutNote(CONTEXT.runUrl),
        },
      );
      expect(fitted.omitted.sections).toBeGreaterThan(0);
      const html = md.render(fitted.markdown);
      expect(foldsBalanced(html)).toBe(true);
      expect(html).not.toContain('&lt;/details&gt;');
      for (const table of tables(fitted.markdown))
        for (const cells of table.rows) expect(cells).toBe(table.header);
      expect(html).toContain('this comment is cut to stay under GitHub’s size limit'.replace('’', "'"));
    }
  });
});
