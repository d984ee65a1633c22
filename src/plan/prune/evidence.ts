/**
 * Whether an entry points at a gone instance, and whether it has been gone long enough.
 *
 * Gone: EC2 says terminated or shutting-down, or does not know the id (EC2 lists a terminated
 * instance for a while, usually under an hour, then forgets it). Since when: the time in EC2's
 * StateTransitionReason (`User initiated (2026-11-22 02:33:03 GMT)`). When EC2 gives none, the
 * entry's own time stands in (a registry's `time`, a container instance's registration, an
 * alarm's last configuration change): the entry must be older than grace. With no time at all,
 * an id EC2 no longer knows is pruned (its silence is the only evidence there will ever be),
 * while one it still lists as terminated waits until EC2 gives a time or forgets it.
 */
import type { Fields, LiveInstance, LiveInstances } from '../../model.ts';

export const GONE_STATES: ReadonlySet<string> = new Set(['terminated', 'shutting-down']);
export const UNKNOWN_TO_EC2 = 'unknown to EC2';

export type Fate =
  | { readonly gone: false; readonly instance: LiveInstance }
  | {
      readonly gone: true;
      /** terminated, shutting-down, or UNKNOWN_TO_EC2. */
      readonly state: string;
      readonly since?: Date;
      readonly instance?: LiveInstance;
    };

/** Undefined when the id was not looked up (then nothing is decided about it). */
export function fateOf(instances: LiveInstances, id: string): Fate | undefined {
  if (!instances.byId.has(id)) return undefined;
  const instance = instances.byId.get(id) ?? null;
  if (instance === null) return { gone: true, state: UNKNOWN_TO_EC2 };
  return fateOfInstance(instance);
}

export function fateOfInstance(instance: LiveInstance): Fate {
  if (!GONE_STATES.has(instance.state)) return { gone: false, instance };
  const since = transitionTime(instance.stateTransitionReason);
  return { gone: true, state: instance.state, instance, ...(since === undefined ? {} : { since }) };
}

/** The time in `User initiated (2026-11-22 02:33:03 GMT)` (AWS) or `... UTC)` (moto). */
export function transitionTime(reason: string | undefined): Date | undefined {
  const match = /\((\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})\s*(?:GMT|UTC|Z)?\)/.exec(reason ?? '');
  if (match === null) return undefined;
  const date = new Date(`${match[1]}T${match[2]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export type Verdict =
  | { readonly prune: true; readonly evidence: string; readonly fields: Fields }
  | { readonly prune: false; readonly why: string };

/**
 * Whether a gone instance's entry goes now: `grace` seconds since it went (or since the entry).
 * `subject` names it in the reason (`instance i-0abc…`).
 */
export function judge(
  subject: string,
  fate: Extract<Fate, { gone: true }>,
  entryTime: string | undefined,
  graceSeconds: number,
  now: Date,
): Verdict {
  const grace = formatAge(graceSeconds);
  const fields: Record<string, unknown> = {
    instance_state: fate.state,
    gone_since: fate.since?.toISOString() ?? null,
  };
  const what = fate.state === UNKNOWN_TO_EC2 ? `${subject} is unknown to EC2` : `${subject} is ${fate.state}`;
  if (fate.since !== undefined) {
    const age = ageSeconds(fate.since, now);
    if (age >= graceSeconds) {
      const evidence = `${what} since ${fate.since.toISOString()} (${formatAge(age)} ago, grace ${grace})`;
      return { prune: true, evidence, fields };
    }
    return {
      prune: false,
      why: `${what} since ${formatAge(age)} ago: kept until grace (${grace}) has passed`,
    };
  }
  const entry = entryTime === undefined ? undefined : new Date(entryTime);
  if (entry !== undefined && !Number.isNaN(entry.getTime())) {
    fields.entry_time = entry.toISOString();
    const age = ageSeconds(entry, now);
    if (age >= graceSeconds) {
      const evidence = `${what} (EC2 gives no time); the entry is ${formatAge(age)} old (grace ${grace})`;
      return { prune: true, evidence, fields };
    }
    return {
      prune: false,
      why: `${what} (EC2 gives no time) and the entry is ${formatAge(age)} old: kept until it is older than grace (${grace})`,
    };
  }
  if (fate.state === UNKNOWN_TO_EC2) {
    const evidence = `${what} (EC2 forgets terminated instances after a while; no time is known)`;
    return { prune: true, evidence, fields };
  }
  return {
    prune: false,
    why: `${what} and no time is known: kept until EC2 gives a time or forgets the instance`,
  };
}

export function ageSeconds(since: Date, now: Date): number {
  return Math.floor((now.getTime() - since.getTime()) / 1000);
}

/** `45s`, `12m`, `3h 5m`, `2d 4h`. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m}m` : `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}
