/**
 * What a run has to say, as Markdown for the pull request comment, the job summary and the
 * failure issue: one builder, fitted under each place's limit by fit.ts.
 *
 *   **Plan: 2 to update, 1 to create, 3 to deregister · 1 blocked**      ← the counts, first
 *   <sub>autoscale-gitops · `clusters` · commit abc1234</sub>
 *   errors, blocked changes (not folded: they need action)
 *   one folded <details> per cluster: a table (object, type, why, where), the fields as a diff,
 *     ECS decisions with their metric values and charts (decisions.ts)
 *   warnings (folded)
 *
 * The text depends only on the outcome and the commit (no time, no run id), so an unchanged plan
 * gives an unchanged comment, which is then not edited. Inputs are expected redacted already.
 */
import type { Diagnostic } from '../config/diagnostics.ts';
import type { ApplyReport, Change, ChangeAction, Plan, ScalingDecision } from '../model.ts';
import { fieldLines, headline, resultText } from '../render/lines.ts';
import { place } from '../render/summary.ts';
import { messageText } from '../render/text.ts';
import { DECISION_HEADER, decisionRow, decisionsMarkdown, outcomeText } from './decisions.ts';
import { chunk, type Document, type Omitted, omittedText, type Section } from './fit.ts';
import {
  cell,
  code,
  escapeHtml,
  escapeInline,
  escapeMarkdownCell,
  fence,
  plural,
  sizeOf,
  truncate,
} from './markdown.ts';

export interface ReportContext {
  /** From sticky.ts `markerKey`: the config path (and `only` glob). */
  readonly configKey: string;
  /** The commit the configuration was read at. */
  readonly commit?: string;
}

export type Outcome =
  | { readonly kind: 'valid'; readonly files: number; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  /** Validated, but not planned (a fork's pull request, no AWS credentials). */
  | {
      readonly kind: 'skipped';
      readonly title: string;
      readonly why: string;
      readonly files: number;
      readonly diagnostics: readonly Diagnostic[];
    }
  /** The run stopped before planning (apply refused on this ref, no credentials for apply). */
  | { readonly kind: 'stopped'; readonly title: string; readonly why: string }
  | { readonly kind: 'plan'; readonly plan: Plan; readonly diagnostics: readonly Diagnostic[] }
  | {
      readonly kind: 'apply';
      readonly plan: Plan;
      readonly report: ApplyReport;
      readonly diagnostics: readonly Diagnostic[];
    };

/** Largest section: small enough that a cut loses little, big enough for a table to be useful. */
export const SECTION_BUDGET = 12_000;
const MAX_CELL = 400;
const MAX_LINE = 300;
const MAX_FIELD_LINES = 25;
const MAX_ITEM = 1_000;

const ACTIONS: readonly ChangeAction[] = ['create', 'update', 'delete', 'register', 'deregister'];
const SIGN: Readonly<Record<ChangeAction, string>> = {
  create: '+',
  update: '~',
  delete: '-',
  register: '+',
  deregister: '-',
};

/** `Plan: 2 to update, 1 to create · 1 blocked · 2 errors`, or `No changes.` */
export function countsLine(plan: Plan): string {
  const s = plan.summary;
  const parts = ACTIONS.filter((a) => s[a] > 0).map((a) => `${s[a]} to ${a}`);
  const extra = [
    ...(s.blocked > 0 ? [`${s.blocked} blocked`] : []),
    ...(plan.errors.length > 0 ? [plural(plan.errors.length, 'error')] : []),
  ];
  if (parts.length === 0 && extra.length === 0) return 'No changes.';
  return [`Plan: ${parts.length > 0 ? parts.join(', ') : 'no changes'}`, ...extra].join(' · ');
}

/** `Apply: 3 applied, 1 failed · 1 blocked`, or `No changes.` */
export function applyCountsLine(report: ApplyReport): string {
  const plan = report.plan;
  if (plan.changes.length === 0 && plan.blocked.length === 0) {
    return plan.errors.length > 0
      ? `No changes applied · ${plural(plan.errors.length, 'error')}`
      : 'No changes.';
  }
  const parts = [`${report.applied} applied`];
  if (report.failed > 0) parts.push(`${report.failed} failed`);
  if (report.skipped > 0) parts.push(`${report.skipped} skipped`);
  const extra = [
    ...(plan.blocked.length > 0 ? [`${plan.blocked.length} blocked`] : []),
    ...(plan.errors.length > 0 ? [plural(plan.errors.length, 'error')] : []),
  ];
  return [`Apply: ${parts.join(', ')}`, ...extra].join(' · ');
}

/** The first line a reader sees, as plain text (also the log's and the failure issue's). */
export function outcomeLine(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'valid':
      return `Configuration valid (${plural(outcome.files, 'file')}).`;
    case 'invalid': {
      const errors = outcome.diagnostics.filter((d) => d.severity === 'error').length;
      return `Configuration invalid: ${plural(errors, 'error')}. Nothing was planned.`;
    }
    case 'skipped':
    case 'stopped':
      return outcome.title;
    case 'plan':
      return countsLine(outcome.plan);
    case 'apply':
      return applyCountsLine(outcome.report);
  }
}

export function buildDocument(outcome: Outcome, context: ReportContext): Document {
  const icon = outcomeIcon(outcome);
  const head = [
    `**${icon}${escapeInline(outcomeLine(outcome))}**`,
    `<sub>autoscale-gitops · ${code(context.configKey)}${context.commit ? ` · commit ${code(context.commit.slice(0, 7))}` : ''}</sub>`,
  ].join('\n');
  return { head, sections: sections(outcome) };
}

function outcomeIcon(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'valid':
      return '✅ ';
    case 'invalid':
    case 'stopped':
      return '❌ ';
    case 'skipped':
      return '⏭️ ';
    case 'plan':
      return outcome.plan.errors.length > 0 ? '❌ ' : '';
    case 'apply': {
      const r = outcome.report;
      return r.failed > 0 || r.skipped > 0 || r.plan.blocked.length > 0 || r.plan.errors.length > 0
        ? '❌ '
        : '';
    }
  }
}

function sections(outcome: Outcome): Section[] {
  switch (outcome.kind) {
    case 'valid':
      return warningSections(outcome.diagnostics);
    case 'invalid':
      return diagnosticSections(outcome.diagnostics);
    case 'skipped':
      return [{ markdown: escapeInline(outcome.why) }, ...warningSections(outcome.diagnostics)];
    case 'stopped':
      return [{ markdown: escapeInline(outcome.why) }];
    case 'plan':
      return planSections(outcome.plan, undefined, outcome.diagnostics);
    case 'apply':
      return planSections(outcome.plan, outcome.report, outcome.diagnostics);
  }
}

function planSections(
  plan: Plan,
  report: ApplyReport | undefined,
  diagnostics: readonly Diagnostic[],
): Section[] {
  const out: Section[] = [];
  if (plan.changes.length === 0 && plan.blocked.length === 0 && plan.errors.length === 0) {
    out.push({ markdown: 'AWS matches the configuration: nothing to do.' });
  }
  out.push(
    ...listSections(
      '❌ Errors',
      plan.errors.map((e) => escapeInline(truncate(messageText(e), MAX_ITEM))),
    ),
  );
  if (report !== undefined) {
    const failed = plan.changes.flatMap((c) => {
      const r = report.results.get(c.address);
      return r?.status === 'failed'
        ? [`${code(c.address)}: ${escapeInline(truncate(r.error, MAX_ITEM))}`]
        : [];
    });
    out.push(...listSections('❌ Failed', failed));
  }
  out.push(
    ...listSections(
      '⛔ Blocked',
      plan.blocked.map((b) => `${code(b.address)}: ${escapeInline(truncate(b.reason, MAX_ITEM))}`),
    ),
  );
  if (report !== undefined) {
    const skipped = plan.changes.flatMap((c) => {
      const r = report.results.get(c.address);
      return r?.status === 'skipped'
        ? [`${code(c.address)}: ${escapeInline(truncate(r.why, MAX_ITEM))}`]
        : [];
    });
    out.push(...listSections('⏭️ Skipped', skipped));
  }
  out.push(...clusterSections(plan.changes, report));
  out.push(...ecsDecisionSections(plan.decisions ?? []));
  out.push(
    ...listSections(
      '⚠️ Warnings',
      plan.warnings.map((w) => escapeInline(truncate(messageText(w), MAX_ITEM))),
      true,
    ),
  );
  out.push(...warningSections(diagnostics));
  return out;
}

/** The cluster a change belongs to: the first part of its address (`<cluster>/groups/...`). */
export function clusterOf(address: string): string {
  const slash = address.indexOf('/');
  return slash < 0 ? address : address.slice(0, slash);
}

interface ChangeBlock {
  readonly change: Change;
  readonly row: string;
  readonly diff: readonly string[];
  readonly decisions: string;
}

function clusterSections(changes: readonly Change[], report: ApplyReport | undefined): Section[] {
  const byCluster = new Map<string, Change[]>();
  for (const change of changes) {
    const key = clusterOf(change.address);
    byCluster.set(key, [...(byCluster.get(key) ?? []), change]);
  }
  const out: Section[] = [];
  for (const cluster of [...byCluster.keys()].sort()) {
    const own = byCluster.get(cluster) ?? [];
    const blocks = own.map((c) => changeBlock(c, report));
    const files = [...new Set(own.flatMap((c) => (c.file === undefined ? [] : [c.file])))].sort();
    out.push(
      ...chunk(blocks, blockSize, SECTION_BUDGET, (part, label) => ({
        markdown: clusterDetails(cluster, files, part, label, report !== undefined),
        items: part.length,
      })),
    );
  }
  return out;
}

function blockSize(block: ChangeBlock): number {
  return sizeOf(block.row) + block.diff.reduce((n, l) => n + sizeOf(l) + 1, 0) + sizeOf(block.decisions) + 2;
}

function changeBlock(change: Change, report: ApplyReport | undefined): ChangeBlock {
  const result = report?.results.get(change.address);
  const cells = [
    SIGN[change.action],
    code(truncate(change.id, MAX_CELL)),
    change.type,
    cell(truncate(change.reason, MAX_CELL)),
    escapeMarkdownCell(escapeHtml(place(change) ?? '')),
    ...(report === undefined
      ? []
      : [result === undefined ? '' : cell(truncate(resultText(result), MAX_CELL))]),
  ];
  const fields = fieldLines(change);
  const diff = [
    truncate(headline(change), MAX_LINE),
    ...fields
      .slice(0, MAX_FIELD_LINES)
      .map((l) => truncate(`${l.sign === '~' ? '!' : l.sign}   ${l.key}: ${l.text}`, MAX_LINE)),
    ...(fields.length > MAX_FIELD_LINES
      ? [`    … ${fields.length - MAX_FIELD_LINES} more fields in the plan JSON`]
      : []),
  ];
  return { change, row: `| ${cells.join(' | ')} |`, diff, decisions: decisionsMarkdown(change) };
}

function clusterDetails(
  cluster: string,
  files: readonly string[],
  blocks: readonly ChangeBlock[],
  part: string,
  withResult: boolean,
): string {
  const counts = ACTIONS.map((a) => [a, blocks.filter((b) => b.change.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} to ${a}`)
    .join(', ');
  const where =
    files.length === 0 ? '' : ` · ${files.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ')}`;
  const summary = `<summary><b>${escapeHtml(cluster)}</b>${where} · ${counts}${part ? ` (${part})` : ''}</summary>`;
  const header = withResult
    ? '| | Object | Type | Why | Where | Result |'
    : '| | Object | Type | Why | Where |';
  const rule = withResult ? '|---|---|---|---|---|---|' : '|---|---|---|---|---|';
  const decisions = blocks.map((b) => b.decisions).filter((d) => d !== '');
  return [
    '<details>',
    summary,
    '',
    header,
    rule,
    ...blocks.map((b) => b.row),
    '',
    fence(blocks.flatMap((b) => b.diff).join('\n'), 'diff'),
    ...decisions.flatMap((d) => ['', d]),
    '',
    '</details>',
  ].join('\n');
}

/**
 * Every ECS service and capacity the YAML names, per cluster: what was decided and the metric
 * values behind it, including the services left as they are (a reviewer asks "why not?" too).
 */
function ecsDecisionSections(decisions: readonly ScalingDecision[]): Section[] {
  const byCluster = new Map<string, ScalingDecision[]>();
  for (const d of decisions) byCluster.set(d.cluster, [...(byCluster.get(d.cluster) ?? []), d]);
  const out: Section[] = [];
  for (const cluster of [...byCluster.keys()].sort()) {
    const own = byCluster.get(cluster) ?? [];
    const rows = own.map(decisionRow);
    out.push(
      ...chunk(
        rows,
        (r) => sizeOf(r) + 1,
        SECTION_BUDGET,
        (part, label) => {
          const tally = new Map<string, number>();
          for (const d of own) tally.set(outcomeText(d), (tally.get(outcomeText(d)) ?? 0) + 1);
          const counts = [...tally].map(([what, n]) => `${n} ${escapeHtml(what)}`).join(', ');
          const summary = `<summary><b>${escapeHtml(cluster)}</b> · ECS decisions · ${counts}${label ? ` (${label})` : ''}</summary>`;
          return {
            markdown: ['<details>', summary, '', DECISION_HEADER, ...part, '', '</details>'].join('\n'),
          };
        },
      ),
    );
  }
  return out;
}

/** A titled bullet list, split into parts under the budget; folded when `folded`. */
function listSections(title: string, items: readonly string[], folded = false): Section[] {
  if (items.length === 0) return [];
  return chunk(
    items,
    (i) => sizeOf(i) + 3,
    SECTION_BUDGET,
    (part, label) => {
      const heading = `${title} (${items.length})${label ? `, ${label}` : ''}`;
      const list = part.map((i) => `- ${i}`).join('\n');
      return {
        markdown: folded
          ? `<details>\n<summary>${heading}</summary>\n\n${list}\n\n</details>`
          : `**${heading}**\n\n${list}`,
      };
    },
  );
}

/** Every configuration problem in a table (annotations show only the first ten of each kind). */
function diagnosticSections(diagnostics: readonly Diagnostic[], folded = false): Section[] {
  if (diagnostics.length === 0) return [];
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const rows = diagnostics.map((d) => {
    const icon = d.severity === 'error' ? '❌' : '⚠️';
    return `| ${icon} | ${code(`${d.file}:${d.line}:${d.col}`)} | ${cell(truncate(d.message, MAX_ITEM))} |`;
  });
  const title = `Configuration: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return chunk(
    rows,
    (r) => sizeOf(r) + 1,
    SECTION_BUDGET,
    (part, label) => {
      const heading = `${title}${label ? ` (${label})` : ''}`;
      const table = ['| | Location | Problem |', '|---|---|---|', ...part].join('\n');
      return {
        markdown: folded
          ? `<details>\n<summary>${heading}</summary>\n\n${table}\n\n</details>`
          : `**${heading}**\n\n${table}`,
      };
    },
  );
}

function warningSections(diagnostics: readonly Diagnostic[]): Section[] {
  return diagnosticSections(
    diagnostics.filter((d) => d.severity === 'warning'),
    true,
  );
}

/** The note where a comment is cut. */
export function commentCutNote(runUrl: string | undefined): (omitted: Omitted) => string {
  return (omitted) => {
    const where = runUrl === undefined ? 'the job summary of this run' : `the [job summary](${runUrl})`;
    return `> [!NOTE]\n> ${omittedText(omitted)}: this comment is cut to stay under GitHub's size limit. The full plan is in ${where}.`;
  };
}

/** The note where a job summary is cut. */
export function summaryCutNote(omitted: Omitted): string {
  return `> [!NOTE]\n> ${omittedText(omitted)}: the summary is cut to stay under GitHub's size limit. The full plan is in the JSON file of the \`plan-json\` output and in this step's log.`;
}
