/** How plan values read in reasons and renderers: short, unambiguous, one line. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** `min 1 → 2, max 4 → 8`: the reason of an update, in field order. */
export function describeDiff(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): string {
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys.map((k) => `${k} ${formatValue(before[k])} → ${formatValue(after[k])}`).join(', ');
}

/** `1 target`, `3 targets`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
