/**
 * A registry's answer (JSON) → its entries. `items` leads to the entries: a list, or a map whose
 * keys are the entry ids (Chef's `GET /nodes` answers `{ "name": "url", ... }`). `id` leads from an
 * item to its id (default: the item itself); `time` to when it was created or last seen.
 */
import type { LiveRegistryEntry } from '../model.ts';
import { readPath } from './paths.ts';

export interface EntryPaths {
  readonly items?: string;
  readonly id?: string;
  readonly time?: string;
}

export class RegistryFormatError extends Error {
  override readonly name = 'RegistryFormatError';
}

export function entriesOf(answer: unknown, paths: EntryPaths): LiveRegistryEntry[] {
  const items = readPath(answer, paths.items);
  const where = paths.items === undefined ? 'the answer' : `items (${paths.items})`;
  let listed: { id: unknown; item: unknown }[];
  if (Array.isArray(items)) {
    listed = items.map((item) => ({ id: readPath(item, paths.id), item }));
  } else if (items !== null && typeof items === 'object' && paths.id === undefined) {
    listed = Object.entries(items).map(([id, item]) => ({ id, item }));
  } else {
    throw new RegistryFormatError(
      `${where} is ${describe(items)}, not a list${paths.id === undefined ? ' or a map of ids' : ''}`,
    );
  }
  const out = new Map<string, LiveRegistryEntry>();
  listed.forEach(({ id, item }, index) => {
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw new RegistryFormatError(
        `entry ${index}: ${paths.id === undefined ? 'the item' : `id (${paths.id})`} is ${describe(id)}, not a string`,
      );
    }
    const text = String(id);
    if (text === '' || out.has(text)) return;
    const time = paths.time === undefined ? undefined : parseTime(readPath(item, paths.time));
    out.set(text, { id: text, ...(time === undefined ? {} : { time }) });
  });
  return [...out.values()];
}

/**
 * ISO 8601 text, or epoch seconds (a number or digits; values past the year 5000 in seconds are
 * taken as milliseconds). Anything else: no time (the entry's age is unknown).
 */
export function parseTime(value: unknown): string | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value))) {
    const n = Number(value);
    ms = n > 1e11 ? n : n * 1000;
  } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    ms = Date.parse(value.trim());
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
