/** Comparing what the YAML wants with what AWS has, field by field. */
import type { Fields } from '../model.ts';

/** Structural equality of JSON-like values; `undefined` and a missing key are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!sameValue(ra[k], rb[k])) return false;
  return true;
}

export interface FieldDiff {
  readonly before: Fields;
  readonly after: Fields;
}

/**
 * The fields of `wanted` whose value differs in `actual`, as before/after pairs; null when all
 * agree. Fields absent from `wanted` are not compared: the YAML does not set them.
 */
export function diffFields(actual: Fields, wanted: Fields): FieldDiff | null {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (sameValue(actual[key], value)) continue;
    before[key] = actual[key] ?? null;
    after[key] = value ?? null;
  }
  return Object.keys(after).length === 0 ? null : { before, after };
}

/** Drops undefined values: JSON-safe fields for before/after. */
export function defined(fields: Readonly<Record<string, unknown>>): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
