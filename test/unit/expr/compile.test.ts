import { describe, expect, it } from 'vitest';
import {
  type CompiledExpression,
  type CompileResult,
  compileExpression,
  EXPRESSION_FUNCTIONS,
  EXPRESSION_LIMITS,
  ExpressionError,
} from '../../../src/expr/index.ts';

const METRICS = new Set(['cpu_usage', 'mem_usage', 'queue_length', 'a', 'b', 'c']);
const VALUES = { cpu_usage: 50, mem_usage: 3000, queue_length: 42, a: 4, b: 1, c: -2.5 };

/** `null`: compile without a declared variable list. */
function compiled(source: string, variables: ReadonlySet<string> | null = METRICS): CompiledExpression {
  const result = compileExpression(source, variables ? { variables } : {});
  if (!result.ok) throw new Error(`expected ${source} to compile, got: ${result.message}`);
  return result.expression;
}

function value(source: string, values: Readonly<Record<string, number>> = VALUES): number {
  return compiled(source).evaluate(values);
}

function refusal(source: string, variables: ReadonlySet<string> | null = METRICS) {
  const result: CompileResult = compileExpression(source, variables ? { variables } : {});
  if (result.ok) throw new Error(`expected ${source} to be refused`);
  return result;
}

function evaluationError(source: string, values: Readonly<Record<string, number>> = VALUES): ExpressionError {
  const expression = compiled(source);
  try {
    expression.evaluate(values);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${source} to fail when evaluated`);
}

describe('expressions ecs-autoscale users wrote (Python arithmetic)', () => {
  it.each([
    ['queue_length', 42],
    ['cpu_usage * mem_usage * 100', 15_000_000],
    ['cpu_usage ** 2 - (mem_usage - 2000 + 1) * mem_usage + mem_usage * 0', 2500 - 1001 * 3000],
    ['max([cpu_usage, mem_usage])', 3000],
    ['min([a, b])', 1],
    ['max([a, b, c,])', 4],
    ['max(queue_length / 10, cpu_usage / 80)', 4.2],
    ['a ^ 2', 16],
    ['a > 3 and b < 2 ? 1 : 0', 1],
    ['a > 5 or b > 5 ? 1 : 0', 0],
    ['not (a == 1)', 1],
    ['not (a == 4)', 0],
    ['abs(a - b * 10)', 6],
    ['round(a / 3, 2)', 1.33],
    ['log(a)', Math.log(4)],
    ['log(8, 2)', 3],
    ['log10(1000)', 3],
    ['log2(a)', 2],
    ['sqrt(a)', 2],
    ['ceil(a / 3)', 2],
    ['floor(a / 3)', 1],
    ['exp(b)', Math.E],
    ['sign(c)', -1],
    ['clamp(queue_length, 0, 10)', 10],
    ['mod(7, a)', 3],
    ['a % 3', 1],
    ['a mod 3', 1],
    ['-a', -4],
    ['+a', 4],
    ['1e3', 1000],
    ['0.5', 0.5],
    ['.5 + 5.', 5.5],
    ['sum([a, b, c])', 2.5],
    ['mean(a, b, 1)', 2],
    ['pow(2, 10)', 1024],
    ['a != 4', 0],
    ['a >= 4', 1],
    ['a xor b', 0],
    ['true + false', 1],
    ['0x10', 16],
  ])('%s = %d', (source, expected) => {
    expect(value(source)).toBeCloseTo(expected, 12);
  });

  it('reads every name of a multi-line YAML block scalar as one expression', () => {
    expect(value('max(queue_length / 10,\n\tcpu_usage / 80)\n')).toBeCloseTo(4.2, 12);
  });

  it('lists the variables read, sorted and without repeats', () => {
    expect(compiled('queue_length + cpu_usage * queue_length + a').variables).toEqual([
      'a',
      'cpu_usage',
      'queue_length',
    ]);
    expect(compiled('1 + 2').variables).toEqual([]);
    expect(compiled('zeta + alpha', null).variables).toEqual(['alpha', 'zeta']);
  });

  it('keeps the source as written and cannot be modified', () => {
    const expression = compiled('a ** 2');
    expect(expression.source).toBe('a ** 2');
    expect(Object.isFrozen(expression)).toBe(true);
    expect(Object.isFrozen(expression.variables)).toBe(true);
  });
});

describe('Python semantics where they differ from JavaScript or mathjs', () => {
  it('% takes the sign of the divisor', () => {
    expect(value('-7 % 3')).toBe(2);
    expect(value('7 % -3')).toBe(-2);
    expect(value('-7.5 % 2')).toBe(0.5);
    expect(value('mod(-1, 5)')).toBe(4);
  });

  it('** is right-associative and binds tighter than unary minus, as in Python', () => {
    expect(value('2 ** 3 ** 2')).toBe(512);
    expect(value('-2 ** 2')).toBe(-4);
    expect(value('2 ** -1')).toBe(0.5);
    expect(value('(-2) ** 2')).toBe(4);
  });

  it('chains comparisons: a < b < c means a < b and b < c', () => {
    expect(value('1 < a < 5')).toBe(1);
    expect(value('1 < a < 3')).toBe(0);
    // (1 < 4) < 3 would be 1 < 3 = 1 with left-to-right booleans; Python gives False.
    expect(value('5 > a > 3')).toBe(1);
    expect(value('b < a == 4 >= b')).toBe(1);
  });

  it('compares exactly (mathjs would treat nearly equal numbers as equal)', () => {
    expect(value('0.1 + 0.2 == 0.3')).toBe(0);
    expect(value('1 == 1 + 1e-13')).toBe(0);
  });

  it('short-circuits and/or and evaluates only the chosen branch of ?:', () => {
    const zero = { ...VALUES, b: 0 };
    expect(value('b != 0 and a / b > 1', zero)).toBe(0);
    expect(value('b == 0 or a / b > 1', zero)).toBe(1);
    expect(value('b == 0 ? 0 : a / b', zero)).toBe(0);
    expect(value('1 < b < a / b', zero)).toBe(0);
  });

  it('rounds halves to even like Python round()', () => {
    expect(value('round(2.5)')).toBe(2);
    expect(value('round(3.5)')).toBe(4);
    expect(value('round(-2.5)')).toBe(-2);
    expect(value('round(0.125, 2)')).toBe(0.12);
    expect(value('round(2.675, 2)')).toBe(2.67);
  });

  it('refuses an unparenthesized not on the left of a comparison (Python and mathjs disagree)', () => {
    expect(refusal('not a == 1').message).toMatch(/ambiguous "not a"/);
    expect(refusal('not a + 1 > 2').message).toMatch(/ambiguous/);
    expect(value('(not a) == 0')).toBe(1);
    expect(value('not a and b')).toBe(0);
  });
});

describe('compile errors', () => {
  it('names an unknown metric and lists the defined ones, sorted, with a suggestion', () => {
    expect(refusal('queu_length * 2', new Set(['queue_length', 'cpu_usage']))).toEqual({
      ok: false,
      message: 'unknown metric "queu_length" (did you mean "queue_length"? defined: cpu_usage, queue_length)',
      offset: 0,
    });
    expect(refusal('a + zzz', new Set(['b', 'a'])).message).toBe('unknown metric "zzz" (defined: a, b)');
    expect(refusal('a + zzz', new Set(['b', 'a'])).offset).toBe(4);
    expect(refusal('x', new Set()).message).toBe('unknown metric "x" (no metrics are defined)');
  });

  it('shows only the first few defined metrics', () => {
    const many = new Set(Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, '0')}`));
    expect(refusal('nope', many).message).toBe(
      'unknown metric "nope" (defined: m00, m01, m02, m03, m04, m05, m06, m07, … (4 more))',
    );
  });

  it('refuses functions outside the list and names the allowed ones', () => {
    const result = refusal('1 + import(a)');
    expect(result.message).toBe(
      `function "import" is not allowed (allowed: ${EXPRESSION_FUNCTIONS.join(', ')})`,
    );
    expect(result.offset).toBe(4);
    expect(refusal('a(b)').message).toBe('metric "a" is not a function');
  });

  it('checks arities', () => {
    expect(refusal('abs(a, b)').message).toBe('wrong number of arguments to abs() (got 2; usage: abs(x))');
    expect(refusal('clamp(a, b)').message).toMatch(/clamp\(\) \(got 2; usage: clamp\(x, lo, hi\)\)/);
    expect(refusal('max()').message).toMatch(/max\(\) \(got 0/);
    expect(refusal('max([])').message).toBe('max() of an empty list');
    expect(refusal('round(a, 1, 2)').message).toMatch(/usage: round\(x, digits\?\)/);
    expect(refusal('round(a, 16)').message).toBe('round() takes 0 to 15 digits (got 16)');
  });

  it('caps the length before parsing', () => {
    const long = `a${' + a'.repeat(200)}`;
    expect(refusal(long)).toEqual({
      ok: false,
      message: `expression too long (${long.length} characters; at most ${EXPRESSION_LIMITS.maxLength})`,
      offset: EXPRESSION_LIMITS.maxLength,
    });
  });

  it('reports mathjs syntax errors with a 0-based offset and without "(char N)"', () => {
    expect(refusal('a + * b')).toEqual({ ok: false, message: 'syntax error: value expected', offset: 4 });
    expect(refusal('(a + b')).toEqual({
      ok: false,
      message: 'syntax error: parenthesis ) expected',
      offset: 6,
    });
    expect(refusal('a ** ')).toMatchObject({ message: 'syntax error: unexpected end of expression' });
  });

  it('explains refused Python and mathjs spellings', () => {
    expect(refusal('a // b')).toEqual({
      ok: false,
      message: '"//" (floor division) is not supported; write floor(a / b)',
      offset: 2,
    });
    expect(refusal('2a').message).toBe(
      'missing operator between "2" and "a" (implicit multiplication is not allowed)',
    );
    expect(refusal('a = 1')).toEqual({
      ok: false,
      message: 'assignment "=" is not allowed; compare with "=="',
      offset: 2,
    });
    expect(refusal('10%').message).toMatch(/^"%" is the modulo operator/);
    expect(refusal('max + 1').message).toBe(
      'function "max" must be called: max(a, b, ...) or max([a, b, ...])',
    );
    expect(refusal('a!').message).toBe('operator "!" is not allowed (factorial); use "!=" or "not"');
    expect(refusal('a != b + a!').offset).toBe(10);
    expect(refusal('a ?? b').offset).toBe(2);
    expect(refusal("a == 'x'")).toEqual({
      ok: false,
      message: `character "'" is not allowed; strings are not allowed`,
      offset: 5,
    });
    expect(refusal('a && b').message).toBe('character "&" is not allowed; use "and"');
    expect(refusal('a\u00a0+ b')).toEqual({
      ok: false,
      message: 'character U+00A0 is not allowed',
      offset: 1,
    });
    expect(refusal('').message).toBe('empty expression');
    expect(refusal(' \n ').message).toBe('empty expression');
  });

  it('keeps every message on one line', () => {
    for (const source of ['a +\n* b', 'a\n= 1', 'x'.repeat(600), 'f(a)\n']) {
      expect(refusal(source).message).not.toMatch(/\n/);
    }
  });

  it('refuses a non-string source without throwing', () => {
    expect(compileExpression(42 as unknown as string)).toEqual({
      ok: false,
      message: 'expression must be a string',
    });
  });
});

describe('evaluation errors', () => {
  it('says which expression is not a finite number and why', () => {
    expect(evaluationError('a / (b - 1)').message).toBe(
      'expression "a / (b - 1)" did not give a finite number: division by zero in "a / (b - 1)"',
    );
    expect(evaluationError('a % (b - 1)').message).toMatch(/modulo by zero in "a % \(b - 1\)"/);
    expect(evaluationError('log(c)').message).toBe(
      'expression "log(c)" did not give a finite number: "log(c)" is not a real number',
    );
    expect(evaluationError('log(0)').message).toMatch(/"log\(0\)" is too large/);
    expect(evaluationError('sqrt(c) + 1').message).toMatch(/"sqrt\(c\)" is not a real number/);
    expect(evaluationError('c ** 0.5').message).toMatch(/is not a real number/);
    expect(evaluationError('0 ** -1').message).toMatch(/division by zero/);
    expect(evaluationError('10 ** 1e9').message).toMatch(/is too large/);
    expect(evaluationError('1e308 * 10 - 1e308 * 10').message).toMatch(/"1e\+308 \* 10" is too large/);
  });

  it('stops at a non-finite intermediate value even when the final result would be finite', () => {
    expect(evaluationError('a / 0 > 1 ? 1 : 0').message).toMatch(/division by zero/);
  });

  it('refuses missing, inherited and non-numeric values', () => {
    const expression = compiled('a + b');
    expect(() => expression.evaluate({ a: 1 })).toThrow(
      new ExpressionError('expression "a + b": metric "b" has no value'),
    );
    const inherited = Object.create({ b: 2 }) as Record<string, number>;
    inherited.a = 1;
    expect(() => expression.evaluate(inherited)).toThrow(/metric "b" has no value/);
    expect(() => expression.evaluate({ a: 1, b: '2' as unknown as number })).toThrow(
      /metric "b" is not a number \(string\)/,
    );
    expect(() => expression.evaluate({ a: 1, b: Number.NaN })).toThrow(
      /metric "b" is not a finite number \(NaN\)/,
    );
    expect(() => expression.evaluate(null as unknown as Record<string, number>)).toThrow(ExpressionError);
  });

  it('reports round() and clamp() domain errors as ExpressionError', () => {
    expect(() => compiled('round(a, b / 2)').evaluate({ a: 1, b: 1 })).toThrow(
      new ExpressionError(
        'expression "round(a, b / 2)": round() takes 0 to 15 digits (got 0.5) in "round(a, b / 2)"',
      ),
    );
    expect(() => compiled('clamp(a, b, 0)').evaluate({ a: 1, b: 1 })).toThrow(
      /lower bound 1 is above upper bound 0/,
    );
  });

  it('turns -0 into 0', () => {
    expect(Object.is(value('-0'), 0)).toBe(true);
    expect(Object.is(value('a * -0'), 0)).toBe(true);
  });

  it('evaluates the same compiled expression repeatedly with different values', () => {
    const expression = compiled('max(queue_length / 10, cpu_usage / 80)');
    expect(expression.evaluate({ queue_length: 5, cpu_usage: 160 })).toBe(2);
    expect(expression.evaluate({ queue_length: 50, cpu_usage: 8 })).toBe(5);
  });
});

describe('without a declared variable list', () => {
  it('accepts any identifier that is not reserved or a function name', () => {
    expect(compiled('anything_1 + _x', null).evaluate({ anything_1: 1, _x: 2 })).toBe(3);
    expect(refusal('constructor', null).message).toBe('name "constructor" is reserved');
    expect(refusal('__class__', null).message).toBe('name "__class__" is reserved');
    expect(refusal('sqrt', null).message).toMatch(/^function "sqrt" must be called/);
  });
});

describe('EXPRESSION_FUNCTIONS', () => {
  it('is the sorted list of callable functions, each of which compiles', () => {
    expect(EXPRESSION_FUNCTIONS).toEqual([...EXPRESSION_FUNCTIONS].sort());
    expect(EXPRESSION_FUNCTIONS).toEqual(
      expect.arrayContaining([
        'abs',
        'ceil',
        'clamp',
        'exp',
        'floor',
        'log',
        'log10',
        'max',
        'min',
        'round',
        'sign',
        'sqrt',
      ]),
    );
    for (const name of EXPRESSION_FUNCTIONS) {
      const args = name === 'clamp' ? '1, 0, 2' : name === 'mod' || name === 'pow' ? '3, 2' : '1';
      expect(compileExpression(`${name}(${args})`).ok, name).toBe(true);
    }
  });
});
