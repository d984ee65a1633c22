/**
 * Fitting a Markdown document under a size limit without breaking it.
 *
 * A document is a head (the marker, the counts line: always kept), then sections, each a
 * self-contained piece of Markdown (a whole `<details>` block, a whole table, a whole list: never
 * open at its end), then an optional foot. When everything does not fit, the document is cut
 * between two sections (never inside a code fence or a `<details>`) and a note says how much was
 * left out and where to read it in full. Sections keep their order: a cut never skips a big
 * section to show a later small one.
 */
import { plural, sizeOf } from './markdown.ts';

/** GitHub's limit on a comment, issue or pull request body. */
export const COMMENT_LIMIT = 65_536;
/** GitHub's limit on one step's job summary (1 MiB); bigger summaries are not shown at all. */
export const SUMMARY_LIMIT = 1_048_576;
/** Room left below each limit for what GitHub or the runner may add (line endings, a BOM). */
export const SAFETY_MARGIN = 512;

export interface Section {
  readonly markdown: string;
  /** What the reader misses when this section is cut, counted in the note (e.g. changes). */
  readonly items?: number;
}

export interface Document {
  readonly head: string;
  readonly sections: readonly Section[];
  readonly foot?: string;
}

export interface Omitted {
  readonly sections: number;
  readonly items: number;
}

export interface FitOptions {
  /** Largest size (UTF-8 bytes) of the result. */
  readonly limit: number;
  /** The note put where the cut is, e.g. a pointer to the job summary. */
  readonly note: (omitted: Omitted) => string;
}

export interface Fitted {
  readonly markdown: string;
  readonly shown: number;
  readonly omitted: Omitted;
}

const SEPARATOR = '\n\n';

export function join(parts: readonly string[]): string {
  return `${parts.filter((p) => p.length > 0).join(SEPARATOR)}\n`;
}

/** The whole document if it fits, else as many leading sections as fit, then the note. */
export function fitDocument(doc: Document, options: FitOptions): Fitted {
  const limit = options.limit - SAFETY_MARGIN;
  const foot = doc.foot ?? '';
  const all = join([doc.head, ...doc.sections.map((s) => s.markdown), foot]);
  if (sizeOf(all) <= limit) {
    return { markdown: all, shown: doc.sections.length, omitted: { sections: 0, items: 0 } };
  }
  const totalItems = doc.sections.reduce((n, s) => n + (s.items ?? 0), 0);
  // The note's size depends on what is left out; the largest counts give an upper bound.
  const reserve = sizeOf(options.note({ sections: doc.sections.length, items: totalItems })) + 2 * 2;
  let used = sizeOf(join([doc.head, foot])) + reserve;
  let shown = 0;
  for (const section of doc.sections) {
    const cost = sizeOf(section.markdown) + SEPARATOR.length;
    if (used + cost > limit) break;
    used += cost;
    shown++;
  }
  const kept = doc.sections.slice(0, shown);
  const left = doc.sections.slice(shown);
  const omitted = { sections: left.length, items: left.reduce((n, s) => n + (s.items ?? 0), 0) };
  const markdown = join([doc.head, ...kept.map((s) => s.markdown), options.note(omitted), foot]);
  if (sizeOf(markdown) <= limit) return { markdown, shown, omitted };
  // Only when the head itself is too big (it is kept small by its builders): the note alone.
  const bare = join([options.note({ sections: doc.sections.length, items: totalItems })]);
  return { markdown: bare, shown: 0, omitted: { sections: doc.sections.length, items: totalItems } };
}

/** `12 more sections (1,234 changes) are not shown here` */
export function omittedText(omitted: Omitted, item = 'change'): string {
  const what = plural(omitted.sections, 'more section');
  return omitted.items > 0
    ? `${what} (${plural(omitted.items, item)}) not shown here`
    : `${what} not shown here`;
}

/**
 * Rows grouped into blocks of at most `budget` bytes each. `wrap` turns a group of rows and its
 * part label (empty when there is one part) into a self-contained section.
 */
export function chunk<T>(
  rows: readonly T[],
  size: (row: T) => number,
  budget: number,
  wrap: (rows: readonly T[], part: string) => Section,
): Section[] {
  const groups: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const row of rows) {
    const cost = size(row);
    if (current.length > 0 && used + cost > budget) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(row);
    used += cost;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((g, i) => wrap(g, groups.length === 1 ? '' : `part ${i + 1} of ${groups.length}`));
}
