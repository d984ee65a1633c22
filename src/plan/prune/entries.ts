/**
 * The shared loop of the prune kinds that are lists of entries each naming one instance
 * (container instances, instance alarms, registry entries): look the instance up, judge it,
 * honour protect, and hand removals to the book under the kind's guard unit.
 */
import type { Change, DesiredPrune, Fields, LiveInstances, Origin } from '../../model.ts';
import type { GuardUnit, PruneBook } from './book.ts';
import { protectedId } from './common.ts';
import { fateOf, judge } from './evidence.ts';

export interface Entry {
  /** The change's address. */
  readonly address: string;
  /** The entry's own id (protect may name it). */
  readonly id: string;
  readonly instanceId: string;
  /** When the entry was made or last changed, if known (grace falls back to it). */
  readonly time?: string;
  /** What the reader sees of the entry. */
  readonly fields: Fields;
  /** `container instance …`, for messages. */
  readonly label: string;
  readonly change: (evidence: string, fields: Fields) => Change;
}

export function pruneEntries(
  prune: DesiredPrune,
  unit: GuardUnit,
  instances: LiveInstances,
  entries: readonly Entry[],
  now: Date,
  book: PruneBook,
): void {
  book.entries(unit, entries.length);
  for (const entry of entries) {
    const at: { address: string; origin: Origin } = { address: entry.address, origin: unit.origin };
    const fate = fateOf(instances, entry.instanceId);
    if (fate === undefined || !fate.gone) continue;
    const verdict = judge(`instance ${entry.instanceId}`, fate, entry.time, prune.graceSeconds, now);
    if (!verdict.prune) {
      book.warn(`${entry.label}: ${verdict.why}`, at);
      continue;
    }
    const guarded = protectedId(prune, entry.instanceId, entry.id);
    if (guarded !== undefined) {
      book.warn(`${guarded} is protected (prune.protect): ${entry.label} is kept`, at);
      continue;
    }
    book.remove(
      unit,
      entry.change(verdict.evidence, { ...entry.fields, instance: entry.instanceId, ...verdict.fields }),
    );
  }
}
