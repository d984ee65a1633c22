/**
 * `metric: cpu`, a defined alias alone, compiles without mathjs (src/expr/index.ts): the result
 * must be what mathjs's parse and checkTree give for the same text, for every name (keywords,
 * constants, functions, reserved names, undefined names included), and mathjs must not be asked.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { checkTree } from '../../../src/expr/check.ts';
import { EXPRESSION_FUNCTIONS } from '../../../src/expr/index.ts';
import { interpret } from '../../../src/expr/interpret.ts';

const parseCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/expr/parse.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/expr/parse.ts')>();
  return {
    ...original,
    parseSource: (source: string) => {
      parseCalls.count++;
      return original.parseSource(source);
    },
  };
});

const { compileExpression } = await import('../../../src/expr/index.ts');
const { parseSource } = await import('../../../src/expr/parse.ts');

/** What the full path (mathjs parse, then checkTree) makes of `source`. */
function viaMathjs(source: string, variables: ReadonlySet<string>) {
  const parsed = parseSource(source);
  if (!parsed.ok) return { ok: false, message: parsed.message, offset: parsed.offset };
  const checked = checkTree(parsed.node, { source, variables });
  if (!checked.ok) return { ok: false, message: checked.message, offset: checked.offset };
  const values = valuesOf(variables);
  return {
    ok: true,
    variables: checked.variables,
    value: safely(() => interpret(checked.expr, values, source)),
  };
}

/** A distinct value per defined name. */
function valuesOf(variables: ReadonlySet<string>): Record<string, number> {
  return Object.fromEntries([...variables].map((v, i) => [v, i + 0.5]));
}

function safely(f: () => number): number | string {
  try {
    return f();
  } catch (error) {
    return (error as Error).message;
  }
}

function compiled(source: string, variables: ReadonlySet<string>) {
  const result = compileExpression(source, { variables });
  if (!result.ok) return { ok: false, message: result.message, offset: result.offset };
  const values = valuesOf(variables);
  return {
    ok: true,
    variables: result.expression.variables,
    value: safely(() => result.expression.evaluate(values)),
  };
}

const NAMES = [
  'cpu',
  'mem_max',
  'queue_length',
  '_x',
  'a1',
  'e',
  'pi',
  'i',
  'mod',
  'to',
  'in',
  'and',
  'or',
  'xor',
  'not',
  'true',
  'false',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  'constructor',
  'toString',
  '__proto__',
  '__x',
  'prototype',
  'end',
  ...EXPRESSION_FUNCTIONS,
];

describe('a defined name alone', () => {
  it('compiles to what mathjs and checkTree make of it, for any name and any defined names', () => {
    const name = fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/));
    fc.assert(
      fc.property(name, fc.array(name, { maxLength: 4 }), fc.boolean(), (source, others, defined) => {
        const variables = new Set(defined ? [source, ...others] : others);
        const expected = viaMathjs(source, variables);
        const actual = compiled(source, variables);
        expect(actual, source).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not ask mathjs', () => {
    parseCalls.count = 0;
    const result = compileExpression('cpu', { variables: new Set(['cpu', 'mem']) });
    expect(result.ok).toBe(true);
    expect(parseCalls.count).toBe(0);
    // Anything more than a defined name does.
    compileExpression('cpu + 1', { variables: new Set(['cpu']) });
    compileExpression('cpu', { variables: new Set(['mem']) });
    compileExpression('cpu', {});
    expect(parseCalls.count).toBe(3);
  });
});
