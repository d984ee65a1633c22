/**
 * Where the prune planners put removals, per guard unit (one kind of one prune section), and
 * what they kept and why. `settle` applies prune.max: a unit over its limit has ALL its removals
 * blocked, with one reason naming the count; the others become changes.
 */
import type { BlockedChange, Change, Origin, PlanMessage, PruneLimit } from '../../model.ts';
import { message } from '../sink.ts';
import { guardReason } from './guard.ts';

export interface GuardUnit {
  /** e.g. `web/prune/registries/chef`: where the blocked reason points. */
  readonly address: string;
  readonly origin: Origin;
  /** Plural, as the reason reads: `target registrations`, `chef entries`. */
  readonly noun: string;
  readonly limit: PruneLimit;
  /** Where the limit is set (prune.max), named in what is blocked. */
  readonly limitOrigin: Origin;
  /** What the unit's changes do, as the reason reads; default `prune` (registry adds: `add`). */
  readonly verb?: string;
}

interface UnitState {
  readonly unit: GuardUnit;
  entries: number;
  readonly removals: Change[];
}

export class PruneBook {
  readonly changes: Change[] = [];
  readonly warnings: PlanMessage[] = [];
  readonly errors: PlanMessage[] = [];
  readonly #units = new Map<string, UnitState>();

  /** Counts a unit's entries (the guard's denominator) even when nothing is removed. */
  entries(unit: GuardUnit, count: number): void {
    this.#state(unit).entries += count;
  }

  remove(unit: GuardUnit, change: Change): void {
    this.#state(unit).removals.push(change);
  }

  warn(text: string, at: { address?: string; origin?: Origin } = {}): void {
    this.warnings.push(message(text, at));
  }

  error(text: string, at: { address?: string; origin?: Origin } = {}): void {
    this.errors.push(message(text, at));
  }

  /** Removals within their limits join the changes; the rest are returned blocked. */
  settle(): BlockedChange[] {
    const blocked: BlockedChange[] = [];
    for (const { unit, entries, removals } of this.#units.values()) {
      const reason = guardReason(
        unit.limit,
        removals.length,
        Math.max(entries, removals.length),
        unit.noun,
        unit.verb,
      );
      if (reason === undefined) this.changes.push(...removals);
      else {
        const guard = { key: 'prune.max', file: unit.limitOrigin.file, line: unit.limitOrigin.line };
        blocked.push(...removals.map((change) => ({ address: change.address, reason, change, guard })));
      }
    }
    this.#units.clear();
    return blocked;
  }

  #state(unit: GuardUnit): UnitState {
    let state = this.#units.get(unit.address);
    if (state === undefined) {
      state = { unit, entries: 0, removals: [] };
      this.#units.set(unit.address, state);
    }
    return state;
  }
}
