/**
 * The README's "The JSON plan" section documents every field the JSON rendering writes: a field
 * added to the document without a word in the README fails here (the compatibility rule there
 * is a promise to scripts that read it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApplyReport, Change, Plan } from '../../../src/model.ts';
import { JSON_FORMAT, planDocument } from '../../../src/render/json.ts';

const README = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
const section = README.slice(README.indexOf('### The JSON plan'), README.indexOf('**Compatibility rule.**'));

const change = {
  address: 'web/groups/web-asg',
  type: 'autoscaling_group',
  action: 'update',
  id: 'web-asg',
  file: 'clusters/web.yml',
  line: 4,
  before: { min: 1 },
  after: { min: 2 },
  reason: 'min 1 → 2',
} as unknown as Change;

const plan = {
  changes: [change, { ...change, address: 'b' }, { ...change, address: 'c' }],
  blocked: [{ address: 'x', reason: 'guard', change }],
  warnings: [{ message: 'w' }],
  errors: [{ message: 'e', address: 'a', file: 'f', line: 1 }],
  summary: { create: 0, update: 3, delete: 0, register: 0, deregister: 0, blocked: 1 },
  decisions: [
    {
      kind: 'ecs_service',
      address: 'c/services/s',
      id: 's',
      cluster: 'c',
      outcome: 'scale',
      metrics: { q: 1 },
      events: [{ index: 0, metric: 'q', value: 1, result: 'fired', min: 0, max: null, action: 1 }],
      before: 1,
      after: 2,
      reason: 'r',
    },
  ],
} as unknown as Plan;

const report = {
  results: new Map([
    ['web/groups/web-asg', { status: 'applied' }],
    ['b', { status: 'failed', error: 'boom' }],
    ['c', { status: 'skipped', why: 'because' }],
  ]),
} as unknown as ApplyReport;

/** Every object key in the document, except inside before/after/metrics (the YAML's names). */
function keys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keys(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      out.add(key);
      if (!['before', 'after', 'metrics'].includes(key)) keys(inner, out);
    }
  }
  return out;
}

describe('the JSON plan as the README documents it', () => {
  it('names the format number the code writes', () => {
    expect(section).toContain(`\`${JSON_FORMAT}\`: the format number`);
    expect(section).toContain(`"format": ${JSON_FORMAT}`);
  });

  it('documents every field of a plan with blocked changes, errors, decisions and apply results', () => {
    const fields = [...keys(planDocument(plan, report))];
    expect(fields.length).toBeGreaterThan(30);
    const undocumented = fields.filter(
      (field) => !section.includes(`\`${field}\``) && !section.includes(`\`${field}[]\``),
    );
    expect(undocumented).toEqual([]);
  });
});
