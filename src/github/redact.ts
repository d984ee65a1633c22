/**
 * Redaction of structured data before it is rendered: every string in a plan, a report or a list
 * of diagnostics (keys of objects and maps too) goes through `hide`, so renderers escape the mask
 * like any other text and JSON never holds a secret in an escaped form `redact` would miss.
 */
export function redactDeep<T>(value: T, hide: (text: string) => string): T {
  return walk(value, hide) as T;
}

function walk(value: unknown, hide: (text: string) => string): unknown {
  if (typeof value === 'string') return hide(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, hide));
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [walk(k, hide), walk(v, hide)]));
  }
  if (value instanceof Set) return new Set([...value].map((v) => walk(v, hide)));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[hide(k)] = walk(v, hide);
  return out;
}
