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
 * The text depends only on the outcome, the commit and the run's link (no time), and the run's
 * link is left out when a comment is compared with its last version ({@link withoutRunLinks}), so
 * an unchanged plan gives an unchanged comment, which is then not edited. Inputs are expected
 * redacted already.
 */
import type { Diagnostic } from '../config/diagnostics.ts';
import type { ApplyReport, BlockedChange, Change, ChangeAction, Plan, ScalingDecision } from '../model.ts';
import {
  ACTION_SIGN,
  changeVerb,
  decisionFor,
  displayId,
  fieldLines,
  headline,
  resultText,
} from '../render/lines.ts';
import { place } from '../render/summary.ts';
import { messageText } from '../render/text.ts';
import { DECISION_HEADER, decisionCharts, decisionRow, decisionsMarkdown, outcomeText } from './decisions.ts';
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
  /** `https://github.com/acme/infra`: each change's YAML line links into the commit's files. */
  readonly repoUrl?: string;
  /** This run's page, linked in the header; absent outside a workflow run (the CLI on a laptop). */
  readonly runUrl?: string;
}

/** The words of the run's link, which {@link withoutRunLinks} recognises. */
const RUN_LINK_TEXT = 'workflow run';

/** `[workflow run](https://github.com/acme/infra/actions/runs/42)`. */
export function runLink(runUrl: string): string {
  return `[${RUN_LINK_TEXT}](${runUrl})`;
}

/**
 * The body with every link to a workflow run neutralised: two runs of the same plan differ only
 * there, and a re-run must not edit the comment (no notification, no "edited" mark).
 */
export function withoutRunLinks(body: string): string {
  return body.replace(/\]\(https?:\/\/[^)\s]*\/actions\/runs\/[^)\s]*\)/g, '](run)');
}

/**
 * `clusters/web.yml:12`, linked to that line at the commit (`blob/<sha>/clusters/web.yml#L12`) when
 * the repository and commit are known and the path is the repository's (relative, no `..`).
 */
export function whereLink(item: { file?: string; line?: number }, context: ReportContext): string {
  const text = place(item);
  if (text === undefined) return '';
  const label = escapeMarkdownCell(escapeHtml(text));
  const file = item.file ?? '';
  const inRepo = !file.startsWith('/') && !/^[A-Za-z]:/.test(file) && !file.split(/[\\/]/).includes('..');
  if (context.repoUrl === undefined || context.commit === undefined || !inRepo) return label;
  const path = file.replace(/\\/g, '/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
  const anchor = item.line === undefined ? '' : `#L${item.line}`;
  return `[${label}](${context.repoUrl}/blob/${context.commit}/${path}${anchor})`;
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
/** Objects named in one blocked item; the JSON plan lists them all. */
const MAX_BLOCKED_NAMES = 20;

const ACTIONS: readonly ChangeAction[] = ['create', 'update', 'delete', 'register', 'deregister'];
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
    `<sub>autoscale-gitops · ${code(context.configKey)}${context.commit ? ` · commit ${code(context.commit.slice(0, 7))}` : ''}${context.runUrl ? ` · ${runLink(context.runUrl)}` : ''}</sub>`,
  ].join('\n');
  return { head, sections: sections(outcome, context) };
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

function sections(outcome: Outcome, context: ReportContext): Section[] {
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
      return planSections(outcome.plan, undefined, outcome.diagnostics, context);
    case 'apply':
      return planSections(outcome.plan, outcome.report, outcome.diagnostics, context);
  }
}

function planSections(
  plan: Plan,
  report: ApplyReport | undefined,
  diagnostics: readonly Diagnostic[],
  context: ReportContext,
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
  out.push(...listSections('⛔ Blocked', blockedItems(plan, context)));
  if (report !== undefined) {
    const skipped = plan.changes.flatMap((c) => {
      const r = report.results.get(c.address);
      return r?.status === 'skipped'
        ? [`${code(c.address)}: ${escapeInline(truncate(r.why, MAX_ITEM))}`]
        : [];
    });
    out.push(...listSections('⏭️ Skipped', skipped));
  }
  out.push(...clusterSections(plan, report, context));
  out.push(...ecsDecisionSections(plan.decisions ?? []));
  out.push(...unchangedChartSections(plan));
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

/**
 * What guards held back, one item per guard and reason ("would prune 3 of 9 chef entries" once,
 * not once per entry), with the objects it holds and the key to raise, linked to its line.
 */
function blockedItems(plan: Plan, context: ReportContext): string[] {
  const groups = new Map<string, BlockedChange[]>();
  for (const b of plan.blocked) {
    const key = `${b.reason}\u0000${b.guard?.file ?? ''}:${b.guard?.line ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as BlockedChange;
    const names = group.map((b) =>
      code(truncate(b.change === undefined ? b.address : displayId(b.change), 200)),
    );
    const shown = names.slice(0, MAX_BLOCKED_NAMES).join(', ');
    const more = names.length > MAX_BLOCKED_NAMES ? ` and ${names.length - MAX_BLOCKED_NAMES} more` : '';
    const raise =
      first.guard === undefined
        ? ''
        : ` To let ${group.length === 1 ? 'it' : 'them'} through, raise ${code(first.guard.key)} at ${whereLink(first.guard, context)}.`;
    return `${escapeInline(truncate(first.reason, MAX_ITEM))}: ${plural(group.length, 'change')} held back (${shown}${more}).${raise}`;
  });
}

function clusterSections(plan: Plan, report: ApplyReport | undefined, context: ReportContext): Section[] {
  const changes = plan.changes;
  const byCluster = new Map<string, Change[]>();
  for (const change of changes) {
    const key = clusterOf(change.address);
    byCluster.set(key, [...(byCluster.get(key) ?? []), change]);
  }
  const out: Section[] = [];
  for (const cluster of [...byCluster.keys()].sort()) {
    const own = byCluster.get(cluster) ?? [];
    const blocks = own.map((c) => changeBlock(c, decisionFor(plan, c), report, context));
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

function changeBlock(
  change: Change,
  decision: ScalingDecision | undefined,
  report: ApplyReport | undefined,
  context: ReportContext,
): ChangeBlock {
  const result = report?.results.get(change.address);
  const cells = [
    `${ACTION_SIGN[change.action]} ${changeVerb(change, decision)}`,
    code(truncate(displayId(change), MAX_CELL)),
    change.type,
    cell(truncate(change.reason, MAX_CELL)),
    whereLink(change, context),
    ...(report === undefined
      ? []
      : [result === undefined ? '' : cell(truncate(resultText(result), MAX_CELL))]),
  ];
  const fields = fieldLines(change);
  const diff = [
    truncate(headline(change, decision), MAX_LINE),
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
    ? '| Action | Object | Type | Why | Where | Result |'
    : '| Action | Object | Type | Why | Where |';
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

/**
 * Charts of the services no change is planned for (a change carries its own): the reviewer asking
 * "why not?" sees the metric against the rules too. Folded per cluster, after the decisions.
 */
function unchangedChartSections(plan: Plan): Section[] {
  const changed = new Set(plan.changes.map((c) => c.address));
  const byCluster = new Map<string, string[]>();
  for (const d of plan.decisions ?? []) {
    if (changed.has(d.address)) continue;
    const charts = decisionCharts(d);
    if (charts !== '') byCluster.set(d.cluster, [...(byCluster.get(d.cluster) ?? []), charts]);
  }
  return [...byCluster.keys()].sort().flatMap((cluster) => {
    const blocks = byCluster.get(cluster) ?? [];
    return chunk(
      blocks,
      (b) => sizeOf(b) + 2,
      SECTION_BUDGET,
      (part, label) => ({
        markdown: [
          '<details>',
          `<summary><b>${escapeHtml(cluster)}</b> · charts of the services left as they are (${part.length})${label ? ` (${label})` : ''}</summary>`,
          '',
          part.join('\n\n'),
          '',
          '</details>',
        ].join('\n'),
      }),
    );
  });
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
