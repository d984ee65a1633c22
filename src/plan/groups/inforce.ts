/**
 * The sizes a group should have at `now` (issue 12). For each of min, max and desired that any of
 * its scheduled actions sets, the value of the occurrence that fired last at or before `now`; the
 * YAML's own value before any of them has fired. A window's end is a scheduled action like the
 * others, so inside a window its sizes are in force and outside it the YAML's.
 *
 * Pure: the time is an argument. Occurrences come from cron-parser (cron with IANA time zones
 * through luxon), not from date arithmetic of our own.
 */
import { CronExpressionParser } from 'cron-parser';
import {
  type DesiredGroup,
  type ScheduleSpec,
  SIZE_FIELDS,
  type SizeField,
  type SizeSource,
} from '../../model.ts';
import type { WantedSchedule } from './owned.ts';

export interface SizeInForce {
  readonly value: number;
  readonly source: SizeSource;
}

export type SizesInForce = Partial<Record<SizeField, SizeInForce>>;

/**
 * The last occurrence of a scheduled action at or before `now`, within its start_time and
 * end_time; undefined when it has not fired yet. A one-off action fires at its start_time.
 * An occurrence is an instant whose wall clock in the time zone matches the expression: a time
 * the spring change skips does not occur that day, and one the autumn change repeats occurs twice.
 */
export function lastFiring(spec: ScheduleSpec, now: Date): Date | undefined {
  const start = spec.startTime === undefined ? undefined : Date.parse(spec.startTime);
  if (spec.recurrence === undefined) {
    return start !== undefined && start <= now.getTime() ? new Date(start) : undefined;
  }
  const end = spec.endTime === undefined ? Number.POSITIVE_INFINITY : Date.parse(spec.endTime);
  const reference = Math.min(now.getTime(), end);
  const previous = new Date(previousOccurrence(spec.recurrence, spec.timeZone ?? 'Etc/UTC', reference));
  return start !== undefined && previous.getTime() < start ? undefined : previous;
}

/**
 * Occurrences already worked out, by expression, zone and instant. Fleets repeat a few
 * recurrences over many groups (`0 22 * * *` on a thousand of them), and cron-parser's walk
 * through time-zone arithmetic costs about 0.3 ms each: without this, a plan of 1,000 scheduled
 * groups spends 0.3 s here. The answer depends only on the key, so it is safe to keep; the map is
 * emptied when it grows past MEMO_LIMIT, which bounds its memory in a long-lived process.
 */
const occurrences = new Map<string, number>();
const MEMO_LIMIT = 10_000;

/** The last occurrence of `recurrence` in `timeZone` at or before `reference` (ms since epoch). */
function previousOccurrence(recurrence: string, timeZone: string, reference: number): number {
  const key = `${timeZone}\u0000${reference}\u0000${recurrence}`;
  const known = occurrences.get(key);
  if (known !== undefined) return known;
  // prev() looks strictly before currentDate: one millisecond later includes `reference` itself.
  const cron = CronExpressionParser.parse(recurrence, { currentDate: new Date(reference + 1), tz: timeZone });
  // Every expression has past occurrences: prev() throws rather than say it has none.
  const previous = cron.prev().getTime();
  if (occurrences.size >= MEMO_LIMIT) occurrences.clear();
  occurrences.set(key, previous);
  return previous;
}

/**
 * The wanted value of each size field at `now` and where it comes from. A field neither the YAML
 * nor a fired schedule sets is absent (left as AWS has it). Of two occurrences at the same
 * instant, the one later in the list (the YAML's order) wins.
 */
export function sizesInForce(
  group: DesiredGroup,
  schedules: readonly WantedSchedule[],
  now: Date,
): SizesInForce {
  const out: SizesInForce = {};
  for (const field of SIZE_FIELDS) {
    const yaml = group[field];
    if (yaml !== undefined) out[field] = { value: yaml, source: { from: 'yaml' } };
  }
  const fired = schedules
    .map((s) => ({ schedule: s, at: lastFiring(s.spec, now) }))
    .filter((f): f is { schedule: WantedSchedule; at: Date } => f.at !== undefined);
  for (const field of SIZE_FIELDS) {
    let last: { schedule: WantedSchedule; at: Date } | undefined;
    for (const f of fired) {
      if (f.schedule.spec[field] !== undefined && (last === undefined || f.at >= last.at)) last = f;
    }
    const value = last?.schedule.spec[field];
    if (last === undefined || value === undefined) continue;
    const yaml = group[field];
    out[field] = {
      value,
      source: {
        from: 'schedule',
        label: last.schedule.label,
        action: last.schedule.name,
        fired: last.at.toISOString(),
        timeZone: last.schedule.spec.timeZone ?? 'UTC',
        ...(yaml === undefined ? {} : { yaml }),
      },
    };
  }
  return out;
}

/**
 * `schedule weeknights, fired Mon 21:00 Europe/Berlin; YAML max 6` for the fields one occurrence
 * set: the occurrence in the schedule's own time zone, with its date when it is more than six
 * days before `now`. Fields whose value is the YAML's own need no words.
 */
export function describeSources(
  sources: Partial<Record<SizeField, SizeSource>>,
  now: Date,
): string | undefined {
  const byOrigin = new Map<string, { text: string; yaml: string[] }>();
  for (const field of SIZE_FIELDS) {
    const source = sources[field];
    if (source === undefined || source.from === 'yaml') continue;
    const key = `${source.action} ${source.fired}`;
    const text = `${source.label}, fired ${when(new Date(source.fired), source.timeZone, now)}`;
    const entry = byOrigin.get(key) ?? { text, yaml: [] };
    entry.yaml.push(source.yaml === undefined ? `no ${field}` : `${field} ${source.yaml}`);
    byOrigin.set(key, entry);
  }
  if (byOrigin.size === 0) return undefined;
  return [...byOrigin.values()].map((e) => `${e.text}; YAML ${e.yaml.join(', ')}`).join('; ');
}

function when(fired: Date, zone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(fired);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const recent = now.getTime() - fired.getTime() < 6 * 86_400_000;
  const day = recent ? part('weekday') : `${part('weekday')} ${part('year')}-${part('month')}-${part('day')}`;
  return `${day} ${part('hour')}:${part('minute')} ${zone}`;
}
