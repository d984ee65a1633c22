/** The plan as JSON, exactly as CONTRACT.md shows it (`format: 1`), plus `errors`; with results after apply. */
import type { ApplyReport, Change, ChangeResult, Plan } from '../model.ts';
import { decisionsDocument } from './decisions.ts';
import { messageText } from './text.ts';

export const JSON_FORMAT = 1;

export function planDocument(plan: Plan, report?: ApplyReport): Record<string, unknown> {
  return {
    format: JSON_FORMAT,
    summary: plan.summary,
    changes: plan.changes.map((c) => changeDocument(c, report?.results.get(c.address))),
    blocked: plan.blocked.map((b) => ({
      address: b.address,
      reason: b.reason,
      // What was held back, with its evidence (a guarded prune).
      ...(b.change === undefined
        ? {}
        : {
            type: b.change.type,
            action: b.change.action,
            id: b.change.id,
            before: b.change.before,
            evidence: b.change.reason,
          }),
    })),
    warnings: plan.warnings.map(messageText),
    errors: plan.errors.map((e) => ({
      address: e.address ?? null,
      file: e.file ?? null,
      line: e.line ?? null,
      message: e.message,
    })),
    ...decisionsDocument(plan),
  };
}

function changeDocument(change: Change, result: ChangeResult | undefined): Record<string, unknown> {
  return {
    address: change.address,
    type: change.type,
    action: change.action,
    id: change.id,
    file: change.file ?? null,
    line: change.line ?? null,
    before: change.before,
    after: change.after,
    reason: change.reason,
    // Where each wanted size comes from: the YAML, a schedule in force, or the group's policies.
    ...(change.sources === undefined ? {} : { source: sourceDocument(change.sources) }),
    ...(result === undefined ? {} : resultDocument(result)),
  };
}

/** Per size field, the schedule occurrence that set its wanted value, in the document's snake_case. */
function sourceDocument(sources: NonNullable<Change['sources']>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(sources).map(([field, s]) => [
      field,
      s.from === 'yaml'
        ? { from: 'yaml' }
        : {
            from: s.from,
            label: s.label,
            scheduled_action: s.action,
            fired: s.fired,
            time_zone: s.timeZone,
            yaml: s.yaml ?? null,
          },
    ]),
  );
}

function resultDocument(result: ChangeResult): Record<string, unknown> {
  switch (result.status) {
    case 'applied':
      return { result: 'applied', ...(result.note === undefined ? {} : { note: result.note }) };
    case 'failed':
      return { result: 'failed', error: result.error };
    case 'skipped':
      return { result: 'skipped', why: result.why };
  }
}

export function renderJson(plan: Plan, report?: ApplyReport): string {
  return `${JSON.stringify(planDocument(plan, report), null, 2)}\n`;
}
