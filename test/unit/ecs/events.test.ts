/** ecs-autoscale's event rule (src/plan/ecs/events.ts), one semantic point per test. */
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../src/expr/index.ts';
import type { DesiredEvent } from '../../../src/model.ts';
import { boundsCorrection, evaluateEvents } from '../../../src/plan/ecs/events.ts';

type Spec = [metric: string, action: number, min: number | null, max: number | null];

function events(...specs: Spec[]): DesiredEvent[] {
  return specs.map(([metric, action, min, max], index) => {
    const compiled = compileExpression(metric, { variables: new Set(['q', 'cpu']) });
    if (!compiled.ok) throw new Error(compiled.message);
    return {
      index,
      origin: { file: 'f.yml', line: 10 + index },
      metric: compiled.expression,
      min,
      max,
      action,
    };
  });
}

const BOUNDS = { min: 1, max: 5 };
const SCALE_OUT_IN = events(['q', 1, 5, null], ['q', -1, null, 3]);

describe('event rule', () => {
  it('tries events in YAML order and the first that matches wins', () => {
    const both = events(['q', 2, 0, null], ['q', 1, 0, null]);
    const outcome = evaluateEvents(2, BOUNDS, both, { q: 10 });
    expect(outcome.count).toBe(4);
    expect(outcome.fired?.index).toBe(0);
    expect(outcome.checks.map((c) => [c.index, c.result])).toEqual([[0, 'fired']]);
  });

  it('matches min and max inclusively', () => {
    const window = events(['q', 1, 5, 10]);
    expect(evaluateEvents(2, BOUNDS, window, { q: 5 }).count).toBe(3);
    expect(evaluateEvents(2, BOUNDS, window, { q: 10 }).count).toBe(3);
    expect(evaluateEvents(2, BOUNDS, window, { q: 4.999 }).count).toBe(2);
    expect(evaluateEvents(2, BOUNDS, window, { q: 10.001 }).count).toBe(2);
  });

  it('treats a null bound as unbounded', () => {
    expect(evaluateEvents(2, BOUNDS, events(['q', 1, 5, null]), { q: 1e12 }).count).toBe(3);
    expect(evaluateEvents(2, BOUNDS, events(['q', -1, null, 3]), { q: -1e12 }).count).toBe(1);
    expect(evaluateEvents(2, BOUNDS, events(['q', 1, null, null]), { q: 0 }).count).toBe(3);
  });

  it('adds the action to the count', () => {
    expect(evaluateEvents(2, { min: 0, max: 10 }, events(['q', 3, 0, null]), { q: 1 }).count).toBe(5);
    expect(evaluateEvents(5, { min: 0, max: 10 }, events(['q', -2, 0, null]), { q: 1 }).count).toBe(3);
  });

  it('clamps the result to the service bounds', () => {
    expect(evaluateEvents(4, BOUNDS, events(['q', 3, 0, null]), { q: 1 }).count).toBe(5);
    expect(evaluateEvents(2, BOUNDS, events(['q', -3, 0, null]), { q: 1 }).count).toBe(1);
  });

  it('skips an event whose result is already at the bound and tries the next', () => {
    // At max 5: +1 cannot act, so the second event is tried (and acts).
    const list = events(['q', 1, 5, null], ['cpu', -1, null, 20]);
    const outcome = evaluateEvents(5, BOUNDS, list, { q: 50, cpu: 10 });
    expect(outcome.count).toBe(4);
    expect(outcome.checks.map((c) => [c.index, c.result])).toEqual([
      [0, 'at_bound'],
      [1, 'fired'],
    ]);
    // At min 1: -1 is skipped; nothing else matches.
    const atMin = evaluateEvents(1, BOUNDS, SCALE_OUT_IN, { q: 0 });
    expect(atMin.count).toBe(1);
    expect(atMin.fired).toBeUndefined();
    expect(atMin.checks.map((c) => c.result)).toEqual(['no_match', 'at_bound']);
  });

  it('lets action 0 hold the count and stop later events', () => {
    const list = events(['q', 0, 0, 10], ['q', 1, 0, null]);
    const outcome = evaluateEvents(2, BOUNDS, list, { q: 5 });
    expect(outcome.count).toBe(2);
    expect(outcome.fired?.index).toBe(0);
  });

  it('changes nothing when no event matches', () => {
    const outcome = evaluateEvents(2, BOUNDS, SCALE_OUT_IN, { q: 4 });
    expect(outcome.count).toBe(2);
    expect(outcome.fired).toBeUndefined();
    expect(outcome.checks.map((c) => c.result)).toEqual(['no_match', 'no_match']);
  });

  it('evaluates arithmetic over aliases', () => {
    const list = events(['max(q / 10, cpu / 80)', -1, null, 0.2]);
    expect(evaluateEvents(3, BOUNDS, list, { q: 1, cpu: 8 }).count).toBe(2);
    expect(evaluateEvents(3, BOUNDS, list, { q: 1, cpu: 40 }).count).toBe(3);
  });

  it('stops with an error (and no change) when an event cannot be evaluated before one acts', () => {
    const list = events(['q / cpu', 1, 0, null], ['q', 1, 0, null]);
    const outcome = evaluateEvents(2, BOUNDS, list, { q: 1, cpu: 0 });
    expect(outcome.count).toBe(2);
    expect(outcome.error).toMatch(/^events\[0\] q \/ cpu: /);
  });

  it('does not evaluate events after the one that acts', () => {
    const list = events(['q', 1, 0, null], ['q / cpu', 1, 0, null]);
    const outcome = evaluateEvents(2, BOUNDS, list, { q: 1, cpu: 0 });
    expect(outcome.count).toBe(3);
    expect(outcome.error).toBeUndefined();
  });
});

describe('bounds correction (ecs-autoscale bug: above max did not scale down from desired)', () => {
  it('brings a desired count above max down to max and below min up to min', () => {
    expect(boundsCorrection(9, BOUNDS)).toBe(5);
    expect(boundsCorrection(0, BOUNDS)).toBe(1);
  });

  it('leaves a count within the bounds alone', () => {
    expect(boundsCorrection(1, BOUNDS)).toBeUndefined();
    expect(boundsCorrection(5, BOUNDS)).toBeUndefined();
  });
});
