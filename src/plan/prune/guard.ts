/**
 * prune.max, per kind: how many removals one run may make. A count is that many; a percent is
 * of the kind's entries, rounded down (25% of 3 entries allows 0: one of three is 33%). Compared
 * in integers (removals × 100 > percent × entries), so no float rounding decides a deletion.
 */
import type { PruneLimit } from '../../model.ts';

export function allowedRemovals(limit: PruneLimit, entries: number): number {
  if (limit.kind === 'count') return limit.value;
  return Math.floor((limit.value * entries) / 100);
}

/** Why `removals` of `entries` break the limit, or undefined when they do not. */
export function guardReason(
  limit: PruneLimit,
  removals: number,
  entries: number,
  noun: string,
  /** What the changes do, as the reason reads (registry adds are guarded too: `add`). */
  verb = 'prune',
): string | undefined {
  if (removals === 0 || removals <= allowedRemovals(limit, entries)) return undefined;
  const what = `would ${verb} ${removals} of ${entries} ${noun}`;
  if (limit.kind === 'count') return `${what} (more than max ${limit.value})`;
  return `${what} (${percentOver(removals, entries, limit.value)}% > ${limit.value}%)`;
}

/** removals / entries as a percent with at most one decimal, never shown at or below the limit. */
export function percentOver(removals: number, entries: number, limit: number): string {
  const exact = (removals * 100) / entries;
  let shown = Math.round(exact * 10) / 10;
  if (shown <= limit) shown = Math.ceil(exact * 10) / 10;
  if (shown <= limit) shown = limit + 0.1;
  return Number.isInteger(shown) ? String(shown) : shown.toFixed(1);
}
