/**
 * Redaction of structured data before it is rendered: every string in a plan, a report or a list
 * of diagnostics (keys of maps too, and of the records keyed by YAML names: dimensions, headers,
 * metric aliases) goes through `hide`, so renderers escape the mask like any other text and JSON
 * never holds a secret in an escaped form `redact` would miss.
 *
 * Masking never changes the data's shape. Keys of plain objects are our own field names, not
 * data: rewriting them (a secret `t` turned `diagnostics` into `diagnos***ics`) made every reader
 * of the field see `undefined` (the Action crashed in validate mode). Likewise the values of `kind` and `severity` are our own
 * vocabulary that renderers switch on; a secret equal to one of those words is still masked
 * everywhere else.
 */
const VOCABULARY_FIELDS = new Set(['kind', 'severity']);
const VOCABULARY = /^[a-z_]+$/;
/** Plain objects whose keys ARE user data (YAML names): their keys are masked like a Map's. */
const USER_KEYED_FIELDS = new Set(['dimensions', 'headers', 'metrics', 'series']);

export function redactDeep<T>(value: T, hide: (text: string) => string): T {
  return walk(value, hide) as T;
}

function walk(value: unknown, hide: (text: string) => string, userKeys = false): unknown {
  if (typeof value === 'string') return hide(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, hide));
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [walk(k, hide), walk(v, hide)]));
  }
  if (value instanceof Set) return new Set([...value].map((v) => walk(v, hide)));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (userKeys) out[hide(k)] = walk(v, hide);
    else if (VOCABULARY_FIELDS.has(k) && typeof v === 'string' && VOCABULARY.test(v)) out[k] = v;
    else out[k] = walk(v, hide, USER_KEYED_FIELDS.has(k));
  }
  return out;
}
