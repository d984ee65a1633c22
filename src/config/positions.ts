import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { Location } from './diagnostics.ts';

/** A property path into a YAML document, as ajv and our own checks report it. */
export type Path = readonly (string | number)[];

export interface Positioned {
  readonly path: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/** 1-based line and column of a character offset. */
export function locationAt(file: Positioned, offset: number): Location {
  const { line, col } = file.lineCounter.linePos(offset);
  return { file: file.path, line, col };
}

/**
 * The location of the node at `path`, or of its deepest existing ancestor when the path runs
 * past what the file holds (a missing required key is reported on the map that lacks it).
 * With `key: true` the location is the key of the last path element rather than its value:
 * the right place for "unknown key" and "duplicate alias" errors.
 */
export function locate(file: Positioned, path: Path, options: { key?: boolean } = {}): Location {
  let node: unknown = file.doc.contents;
  let best: Node | null = isNodeWithRange(node) ? node : null;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = pairOf(node, segment);
      if (!pair) break;
      if (last && options.key && isNodeWithRange(pair.key)) {
        best = pair.key;
        break;
      }
      // `key:` with no value still has a key to point at.
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else if (isSeq(node) && typeof segment === 'string' && /^\d+$/.test(segment)) {
      node = node.items[Number(segment)];
    } else {
      break;
    }
    if (!isNodeWithRange(node)) break;
    best = node;
  }
  return locationAt(file, best?.range?.[0] ?? 0);
}

function isNodeWithRange(node: unknown): node is Node {
  return typeof node === 'object' && node !== null && 'range' in node && Array.isArray((node as Node).range);
}

/** Splits an ajv instancePath (`/services/worker/min`) into a property path. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The node at exactly `path` (a map's value, a sequence's item), or undefined when the path runs
 * past what the file holds. Keys match by their string form, like `locate`.
 */
export function nodeAt(file: Positioned, path: Path): Node | undefined {
  let node: unknown = file.doc.contents;
  for (const segment of path) {
    if (isMap(node)) {
      node = pairOf(node, segment)?.value ?? undefined;
    } else if (isSeq(node) && (typeof segment === 'number' || /^\d+$/.test(segment))) {
      node = node.items[Number(segment)];
    } else {
      return undefined;
    }
  }
  return isNodeWithRange(node) ? node : undefined;
}

/**
 * Each map's pairs by the string form of their scalar keys, built on the first lookup. Every
 * diagnostic and every typed value looks a path up; scanning the map each time made validating
 * a map of n keys O(n²) (20,000 groups took seconds). The documents are not edited after
 * parsing (interpolation changes scalar values, never keys), so the index stays true.
 */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, segment: string | number | undefined): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      const key = String(p.key.value);
      // The first of two equal keys, as a scan would find (the second is a duplicate-key error).
      if (!index.has(key)) index.set(key, p);
    }
    pairIndex.set(map, index);
  }
  return index.get(String(segment));
}
