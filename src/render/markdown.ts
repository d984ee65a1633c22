/**
 * The plan as GitHub Markdown (the PR comment and the job summary): the summary line first, then
 * one folded <details> per file with a table of its changes and a diff block of their fields.
 */
import type { ApplyReport, Change, Plan } from '../model.ts';
import { decisionsMarkdown } from './decisions.ts';
import { ACTION_SIGN, fieldLines, headline, resultText } from './lines.ts';
import { applyLine, count, place, summaryLine } from './summary.ts';
import { messageText } from './text.ts';

const NO_FILE = '(not in the YAML)';

export function renderMarkdown(plan: Plan, report?: ApplyReport): string {
  const out: string[] = [`**${escapeInline(summaryLine(plan))}**`];
  if (report !== undefined) out.push('', `**${escapeInline(applyLine(report))}**`);
  for (const [file, changes] of byFile(plan.changes)) {
    out.push('', fileSection(file, changes, report));
  }
  const decisions = decisionsMarkdown(plan, { code, cell });
  if (decisions !== '') out.push('', decisions);
  list(
    out,
    '⛔ Blocked',
    plan.blocked.map(
      (b) =>
        `${code(b.address)}: ${escapeInline(b.reason)}${b.change === undefined ? '' : ` (${escapeInline(b.change.reason)})`}`,
    ),
  );
  list(
    out,
    '❌ Errors',
    plan.errors.map((e) => escapeInline(messageText(e))),
  );
  list(
    out,
    '⚠️ Warnings',
    plan.warnings.map((w) => escapeInline(messageText(w))),
  );
  return `${out.join('\n')}\n`;
}

function byFile(changes: readonly Change[]): Map<string, Change[]> {
  const files = new Map<string, Change[]>();
  for (const change of changes) {
    const file = change.file ?? NO_FILE;
    files.set(file, [...(files.get(file) ?? []), change]);
  }
  return files;
}

function fileSection(file: string, changes: readonly Change[], report: ApplyReport | undefined): string {
  const counts = (['create', 'update', 'delete', 'register', 'deregister'] as const)
    .map((action) => [action, changes.filter((c) => c.action === action).length] as const)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${n} to ${action}`);
  const rows = changes.map((c) => {
    const result = report?.results.get(c.address);
    const cells = [
      ACTION_SIGN[c.action],
      code(c.id),
      c.type,
      cell(c.reason),
      place(c) ?? '',
      ...(report === undefined ? [] : [result === undefined ? '' : cell(resultText(result))]),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const header =
    report === undefined ? '| | Object | Type | Why | Where |' : '| | Object | Type | Why | Where | Result |';
  const rule = report === undefined ? '|---|---|---|---|---|' : '|---|---|---|---|---|---|';
  const diff = changes.flatMap((c) => [
    headline(c),
    ...fieldLines(c).map((l) => `${l.sign === '~' ? '!' : l.sign}   ${l.key}: ${l.text}`),
  ]);
  return [
    '<details>',
    `<summary><code>${escapeHtml(file)}</code>: ${counts.join(', ') || count(changes.length, 'change')}</summary>`,
    '',
    header,
    rule,
    ...rows,
    '',
    fence(diff.join('\n'), 'diff'),
    '',
    '</details>',
  ].join('\n');
}

function list(out: string[], title: string, items: readonly string[]): void {
  if (items.length === 0) return;
  out.push('', `**${title}**`, '', ...items.map((i) => `- ${i}`));
}

/** A fence longer than any backtick run inside, so content cannot close it early. */
function fence(body: string, language: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}${language}\n${body}\n${marks}`;
}

/** Inline code that survives any backticks in the text (CommonMark: a longer backtick run). */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${marks}${pad}${text.replace(/\|/g, '\\|')}${pad}${marks}`;
}

function cell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** GFM ignores intraword `_`, so names like launch_template stay unescaped and readable. */
function escapeInline(text: string): string {
  return escapeHtml(text).replace(/([\\`*[\]])/g, '\\$1');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
