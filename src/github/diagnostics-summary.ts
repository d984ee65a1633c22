import type { Diagnostic } from '../config/diagnostics.ts';
import { escapeMarkdownCell } from './markdown.ts';

/** The full list of config problems as a Markdown table: annotations are capped, this is not. */
export function diagnosticsMarkdown(
  diagnostics: readonly Diagnostic[],
  redact: (s: string) => string,
): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const lines = [
    `**Configuration: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}**`,
    '',
    '| | Location | Problem |',
    '|---|---|---|',
  ];
  for (const d of diagnostics) {
    const icon = d.severity === 'error' ? '❌' : '⚠️';
    lines.push(`| ${icon} | \`${d.file}:${d.line}:${d.col}\` | ${escapeMarkdownCell(redact(d.message))} |`);
  }
  return `${lines.join('\n')}\n`;
}
