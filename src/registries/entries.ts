/**
 * A registry's answer (JSON) → its entries. `items` leads to the entries: a list, or a map whose
 * keys are the entry ids (Chef's `GET /nodes` answers `{ "name": "url", ... }`); several paths
 * (Salt's `minions` and `minions_pre`) have their entries merged, an id in two lists counted once.
 * Each path must lead to entries: one that does not fails the whole answer (never read as none).
 * `id` leads from an item to its id (default: the item itself); `time` to when it was created or
 * last seen.
 */
import type { ItemsPath, LiveRegistryEntry } from '../model.ts';
import { readPath } from './paths.ts';

export interface EntryPaths {
  readonly items?: ItemsPath;
  readonly id?: string;
  readonly time?: string;
}

export class RegistryFormatError extends Error {
  override readonly name = 'RegistryFormatError';
}

export function entriesOf(answer: unknown, paths: EntryPaths): LiveRegistryEntry[] {
  const itemPaths =
    typeof paths.items === 'string' || paths.items === undefined ? [paths.items] : paths.items;
  const out = new Map<string, LiveRegistryEntry>();
  for (const itemsPath of itemPaths) {
    // With several lists, an entry's index alone does not say which list it is in.
    const prefix = itemPaths.length > 1 ? `items (${itemsPath}) ` : '';
    listedAt(answer, itemsPath, paths.id).forEach(({ id, item }, index) => {
      if (typeof id !== 'string' && typeof id !== 'number') {
        throw new RegistryFormatError(
          `${prefix}entry ${index}: ${paths.id === undefined ? 'the item' : `id (${paths.id})`} is ${describe(id)}, not a string`,
        );
      }
      const text = String(id);
      if (text === '' || out.has(text)) return;
      const time = paths.time === undefined ? undefined : parseTime(readPath(item, paths.time));
      out.set(text, { id: text, ...(time === undefined ? {} : { time }) });
    });
  }
  return [...out.values()];
}

/** The items at one path, each with its id (not yet checked). */
function listedAt(
  answer: unknown,
  itemsPath: string | undefined,
  idPath: string | undefined,
): { id: unknown; item: unknown }[] {
  const items = readPath(answer, itemsPath);
  if (Array.isArray(items)) return items.map((item) => ({ id: readPath(item, idPath), item }));
  if (items !== null && typeof items === 'object' && idPath === undefined)
    return Object.entries(items).map(([id, item]) => ({ id, item }));
  const where = itemsPath === undefined ? 'the answer' : `items (${itemsPath})`;
  throw new RegistryFormatError(
    `${where} is ${describe(items)}, not a list${idPath === undefined ? ' or a map of ids' : ''}`,
  );
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
