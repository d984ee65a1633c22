/**
 * Small GitHub-Markdown helpers: escaping for table cells and inline text, code spans and fences
 * that survive any backticks inside, and sizes measured the way that is safe against every limit
 * GitHub counts in (characters, code points or bytes): UTF-8 bytes, never fewer than the others.
 */

/** A table cell holds one line, and `|` would end it. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text that Markdown shows as written: no emphasis, links, code or HTML from its characters. An
 * underscore between two letters or digits stays bare (GFM never emphasises inside a word), so
 * names like launch_template read as they are written in the raw comment too.
 */
export function escapeInline(text: string): string {
  return escapeHtml(text)
    .replace(/([\\`*[\]~#])/g, '\\$1')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/\r?\n/g, ' ');
}

/** Inline text for a table cell (one line, `|` escaped). */
export function cell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|');
}

/** Inline code that survives any backticks in the text (CommonMark: a longer backtick run). */
export function code(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  // In a table a `|` ends the cell even inside a code span: GFM unescapes `\|` there.
  return `${marks}${pad}${oneLine.replace(/\|/g, '\\|')}${pad}${marks}`;
}

/** A fenced block with a fence longer than any backtick run inside, so content cannot close it. */
export function fence(body: string, language = ''): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}${language}\n${body}\n${marks}`;
}

/** Size as GitHub's limits should count it: UTF-8 bytes (≥ UTF-16 units ≥ code points). */
export function sizeOf(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** At most `max` characters, cut on a code point boundary, with `…` when cut. */
export function truncate(text: string, max: number): string {
  const points = [...text];
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** `1 change`, `2 changes`. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : nouns}`;
}
