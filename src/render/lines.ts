/** A change as field lines, shared by the text and Markdown renderings. */
import type { Change, ChangeAction, ChangeResult } from '../model.ts';
import { formatValue } from '../plan/format.ts';

export const ACTION_SIGN: Readonly<Record<ChangeAction, string>> = {
  create: '+',
  update: '~',
  delete: '-',
  register: '+',
  deregister: '-',
};

export interface FieldLine {
  readonly sign: '+' | '-' | '~' | ' ';
  readonly key: string;
  readonly text: string;
}

/** Created fields as `+`, deleted as `-`, updated as `~ key: old → new`. */
export function fieldLines(change: Change): FieldLine[] {
  const { before, after } = change;
  if (before === null && after === null) return [];
  if (before === null)
    return Object.entries(after ?? {}).map(([k, v]) => ({ sign: '+', key: k, text: formatValue(v) }));
  if (after === null)
    return Object.entries(before).map(([k, v]) => ({ sign: '-', key: k, text: formatValue(v) }));
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys.map((k) => ({
    sign: '~',
    key: k,
    text: `${formatValue(before[k])} → ${formatValue(after[k])}`,
  }));
}

export function headline(change: Change): string {
  return `${ACTION_SIGN[change.action]} ${change.action} ${change.type} ${change.id}`;
}

export function resultText(result: ChangeResult): string {
  switch (result.status) {
    case 'applied':
      return 'applied';
    case 'failed':
      return `FAILED: ${result.error}`;
    case 'skipped':
      return `skipped: ${result.why}`;
  }
}
