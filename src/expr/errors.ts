/**
 * The one error evaluation may throw. It lives apart from index.ts so the interpreter can
 * throw it without importing the public entry point (no import cycle).
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

/** Error messages are printed as `file:line:col: error: <message>`: keep them on one line. */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Quotes (part of) a user's expression inside a message: one line, bounded length. */
export function quoteSource(source: string, max = 80): string {
  const flat = singleLine(source);
  return `"${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}"`;
}
