/** How ECS decisions read: metric values, event rules, resources. */
import type { EventCheck, Resources } from '../../model.ts';

/** Up to 4 significant digits, no exponent for ordinary values: `12`, `0.1523`, `81.25`. */
export function num(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** `≥ 5`, `≤ 0.2`, `in [1, 3]`, `any value`. */
export function rangeText(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return `in [${num(min)}, ${num(max)}]`;
  if (min !== null) return `≥ ${num(min)}`;
  if (max !== null) return `≤ ${num(max)}`;
  return 'any value';
}

export function actionText(action: number): string {
  return action > 0 ? `+${action}` : String(action);
}

/** `events[0] queue_length = 12 (≥ 5, +1)`. */
export function checkText(check: EventCheck): string {
  return `events[${check.index}] ${check.metric} = ${num(check.value)} (${rangeText(check.min, check.max)}, ${actionText(check.action)})`;
}

/** `queue_length = 12, cpu_usage = 41.5` (unreadable: `?`). */
export function valuesText(values: Readonly<Record<string, number | null>>): string {
  const entries = Object.entries(values);
  if (entries.length === 0) return 'no metrics';
  return entries.map(([alias, v]) => `${alias} = ${v === null ? '?' : num(v)}`).join(', ');
}

/** `1024 CPU / 2048 MiB`. */
export function resourcesText(r: Resources): string {
  return `${num(r.cpu)} CPU / ${num(r.memory)} MiB`;
}

/** `45 s`, `4 min 10 s`. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}
