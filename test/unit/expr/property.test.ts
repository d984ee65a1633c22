/**
 * Property-based tests.
 * 1. Random well-formed expressions, rendered as text two ways (fully parenthesized, and with
 *    only the parentheses the documented precedence needs), evaluate exactly like a reference
 *    evaluator written here from the generated structure, including which ones must fail.
 * 2. Arbitrary text, and text built from dangerous tokens, never makes compileExpression throw;
 *    whatever compiles stays within the size limits and evaluates to a finite number or throws
 *    ExpressionError, nothing else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../src/expr/ast.ts';
import { checkTree } from '../../../src/expr/check.ts';
import { formatExpr } from '../../../src/expr/format.ts';
import { compileExpression, EXPRESSION_LIMITS, ExpressionError } from '../../../src/expr/index.ts';
import { parseSource } from '../../../src/expr/parse.ts';

// ---------------------------------------------------------------------------------------------
// 1. Generated expressions against a reference evaluator

type Var = 'a' | 'b' | 'c';
type BinOp = '+' | '-' | '*' | '/' | '%' | '^';
type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
type Fn =
  | 'abs'
  | 'sqrt'
  | 'floor'
  | 'ceil'
  | 'sign'
  | 'exp'
  | 'log'
  | 'max'
  | 'min'
  | 'sum'
  | 'mean'
  | 'clamp';

type Gen =
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'var'; readonly name: Var }
  | { readonly t: 'neg'; readonly arg: Gen }
  | { readonly t: 'not'; readonly arg: Gen }
  /** `spelling`: `**` or `^` for powers, `%` or `mod` for modulo. */
  | { readonly t: 'bin'; readonly op: BinOp; readonly alt: boolean; readonly l: Gen; readonly r: Gen }
  | { readonly t: 'cmp'; readonly ops: readonly CmpOp[]; readonly args: readonly Gen[] }
  | { readonly t: 'logic'; readonly op: 'and' | 'or'; readonly l: Gen; readonly r: Gen }
  | { readonly t: 'cond'; readonly c: Gen; readonly x: Gen; readonly y: Gen }
  | { readonly t: 'call'; readonly fn: Fn; readonly list: boolean; readonly args: readonly Gen[] };

const ARITY: Readonly<Record<Fn, readonly [number, number]>> = {
  abs: [1, 1],
  sqrt: [1, 1],
  floor: [1, 1],
  ceil: [1, 1],
  sign: [1, 1],
  exp: [1, 1],
  log: [1, 1],
  max: [1, 4],
  min: [1, 4],
  sum: [1, 4],
  mean: [1, 4],
  clamp: [3, 3],
};
const LISTABLE: ReadonlySet<Fn> = new Set(['max', 'min', 'sum', 'mean']);

const literal = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.constantFrom(0.5, 2.25, 1e3, 1e-3, 1e21, 0.1),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map((v) => v + 0),
);

const { gen } = fc.letrec<{ gen: Gen }>((tie) => ({
  gen: fc.oneof(
    { maxDepth: 5, depthIdentifier: 'gen' },
    fc.oneof(
      literal.map((v): Gen => ({ t: 'num', v })),
      fc.constantFrom<Var>('a', 'b', 'c').map((name): Gen => ({ t: 'var', name })),
    ),
    tie('gen').map((arg): Gen => ({ t: 'neg', arg })),
    tie('gen').map((arg): Gen => ({ t: 'not', arg })),
    fc
      .record({
        op: fc.constantFrom<BinOp>('+', '-', '*', '/', '%', '^'),
        alt: fc.boolean(),
        l: tie('gen'),
        r: tie('gen'),
      })
      .map((n): Gen => ({ t: 'bin', ...n })),
    fc
      .tuple(
        fc.array(fc.constantFrom<CmpOp>('<', '<=', '>', '>=', '==', '!='), { minLength: 1, maxLength: 2 }),
        fc.array(tie('gen'), { minLength: 3, maxLength: 3 }),
      )
      .map(([ops, args]): Gen => ({ t: 'cmp', ops, args: args.slice(0, ops.length + 1) })),
    fc
      .record({ op: fc.constantFrom<'and' | 'or'>('and', 'or'), l: tie('gen'), r: tie('gen') })
      .map((n): Gen => ({ t: 'logic', ...n })),
    fc.record({ c: tie('gen'), x: tie('gen'), y: tie('gen') }).map((n): Gen => ({ t: 'cond', ...n })),
    fc
      .record({
        fn: fc.constantFrom<Fn>(...(Object.keys(ARITY) as Fn[])),
        list: fc.boolean(),
        args: fc.array(tie('gen'), { minLength: 1, maxLength: 4 }),
      })
      .map(({ fn, list, args }): Gen => {
        const [min, max] = ARITY[fn];
        const padded = [...args, ...args, ...args].slice(0, Math.max(min, Math.min(max, args.length)));
        return { t: 'call', fn, list: list && LISTABLE.has(fn), args: padded };
      }),
  ),
}));

const BIN_TEXT: Readonly<Record<BinOp, readonly [string, string]>> = {
  '+': ['+', '+'],
  '-': ['-', '-'],
  '*': ['*', '*'],
  '/': ['/', '/'],
  '%': ['%', 'mod'],
  '^': ['^', '**'],
};

function binText(n: Extract<Gen, { t: 'bin' }>): string {
  return BIN_TEXT[n.op][n.alt ? 1 : 0];
}

function callText(n: Extract<Gen, { t: 'call' }>, render: (g: Gen) => string): string {
  const args = n.args.map(render).join(', ');
  return n.list ? `${n.fn}([${args}])` : `${n.fn}(${args})`;
}

/** Every compound in parentheses: tests meaning, not precedence. */
function full(n: Gen): string {
  switch (n.t) {
    case 'num':
      return String(n.v);
    case 'var':
      return n.name;
    case 'neg':
      return `(-${full(n.arg)})`;
    case 'not':
      return `(not ${full(n.arg)})`;
    case 'bin':
      return `(${full(n.l)} ${binText(n)} ${full(n.r)})`;
    case 'cmp':
      return `(${n.args.map((arg, i) => (i === 0 ? full(arg) : ` ${n.ops[i - 1]} ${full(arg)}`)).join('')})`;
    case 'logic':
      return `(${full(n.l)} ${n.op} ${full(n.r)})`;
    case 'cond':
      return `(${full(n.c)} ? ${full(n.x)} : ${full(n.y)})`;
    case 'call':
      return callText(n, full);
  }
}

// Precedence as documented in docs/expressions.md, lowest first.
const LEVEL = { cond: 1, or: 2, and: 3, cmp: 4, add: 5, mul: 6, unary: 7, pow: 8, atom: 9 } as const;

function level(n: Gen): number {
  switch (n.t) {
    case 'cond':
      return LEVEL.cond;
    case 'logic':
      return n.op === 'or' ? LEVEL.or : LEVEL.and;
    case 'cmp':
      return LEVEL.cmp;
    case 'bin':
      return n.op === '+' || n.op === '-' ? LEVEL.add : n.op === '^' ? LEVEL.pow : LEVEL.mul;
    case 'neg':
    case 'not':
      return LEVEL.unary;
    default:
      return LEVEL.atom;
  }
}

/** Only the parentheses precedence needs (and around a `not` on the left of an operator). */
function minimal(n: Gen): string {
  const wrap = (child: Gen, required: number, leftOperand = false): string => {
    const text = minimal(child);
    return level(child) < required || (leftOperand && child.t === 'not') ? `(${text})` : text;
  };
  switch (n.t) {
    case 'num':
      return String(n.v);
    case 'var':
      return n.name;
    case 'neg': {
      const arg = wrap(n.arg, LEVEL.unary);
      return arg.startsWith('-') ? `- ${arg}` : `-${arg}`;
    }
    case 'not':
      return `not ${wrap(n.arg, LEVEL.unary)}`;
    case 'bin': {
      const own = level(n);
      // + - * / % are left-associative; ^ is right-associative and its base binds tighter than unary minus.
      const left = n.op === '^' ? wrap(n.l, LEVEL.atom) : wrap(n.l, own, true);
      const right = n.op === '^' ? wrap(n.r, LEVEL.unary) : wrap(n.r, own + 1);
      return `${left} ${binText(n)} ${right}`;
    }
    case 'cmp':
      return n.args
        .map((arg, i) => (i === 0 ? wrap(arg, LEVEL.add, true) : ` ${n.ops[i - 1]} ${wrap(arg, LEVEL.add)}`))
        .join('');
    case 'logic': {
      const own = level(n);
      return `${wrap(n.l, own)} ${n.op} ${wrap(n.r, own + 1)}`;
    }
    case 'cond':
      return `${wrap(n.c, LEVEL.or)} ? ${wrap(n.x, LEVEL.or)} : ${wrap(n.y, LEVEL.cond)}`;
    case 'call':
      return callText(n, (arg) => wrap(arg, LEVEL.cond));
  }
}

class Fails extends Error {}

function finite(x: number): number {
  if (!Number.isFinite(x)) throw new Fails();
  return x;
}

/** Written from the structure and Python's rules, independently of src/expr/interpret.ts. */
function reference(n: Gen, env: Readonly<Record<Var, number>>): number {
  const ref = (g: Gen) => reference(g, env);
  switch (n.t) {
    case 'num':
      return n.v;
    case 'var':
      return env[n.name];
    case 'neg':
      return -ref(n.arg);
    case 'not':
      return ref(n.arg) ? 0 : 1;
    case 'bin': {
      const l = ref(n.l);
      const r = ref(n.r);
      if ((n.op === '/' || n.op === '%') && r === 0) throw new Fails();
      if (n.op === '^' && l === 0 && r < 0) throw new Fails();
      if (n.op === '+') return finite(l + r);
      if (n.op === '-') return finite(l - r);
      if (n.op === '*') return finite(l * r);
      if (n.op === '/') return finite(l / r);
      if (n.op === '^') return finite(l ** r);
      const m = l % r;
      return finite(m !== 0 && m < 0 !== r < 0 ? m + r : m);
    }
    case 'cmp': {
      const holds: Record<CmpOp, (x: number, y: number) => boolean> = {
        '<': (x, y) => x < y,
        '<=': (x, y) => x <= y,
        '>': (x, y) => x > y,
        '>=': (x, y) => x >= y,
        '==': (x, y) => x === y,
        '!=': (x, y) => x !== y,
      };
      let previous = ref(n.args[0] as Gen);
      for (let i = 1; i < n.args.length; i++) {
        const next = ref(n.args[i] as Gen);
        if (!holds[n.ops[i - 1] as CmpOp](previous, next)) return 0;
        previous = next;
      }
      return 1;
    }
    case 'logic':
      if (n.op === 'and') return ref(n.l) && ref(n.r) ? 1 : 0;
      return ref(n.l) || ref(n.r) ? 1 : 0;
    case 'cond':
      return ref(n.c) ? ref(n.x) : ref(n.y);
    case 'call': {
      const args = n.args.map(ref);
      const [x = Number.NaN, lo = Number.NaN, hi = Number.NaN] = args;
      const total = () => args.reduce((s, v) => s + v, 0);
      switch (n.fn) {
        case 'abs':
          return Math.abs(x);
        case 'sqrt':
          return finite(Math.sqrt(x));
        case 'floor':
          return Math.floor(x);
        case 'ceil':
          return Math.ceil(x);
        case 'sign':
          return Math.sign(x);
        case 'exp':
          return finite(Math.exp(x));
        case 'log':
          return finite(Math.log(x));
        case 'max':
          return Math.max(...args);
        case 'min':
          return Math.min(...args);
        case 'sum':
          return finite(total());
        case 'mean':
          return finite(total() / args.length);
        case 'clamp':
          if (lo > hi) throw new Fails();
          return Math.min(Math.max(x, lo), hi);
      }
    }
  }
}

function outcome(run: () => number): { value: number } | { fails: true } {
  try {
    return { value: run() + 0 };
  } catch (error) {
    if (error instanceof Fails || error instanceof ExpressionError) return { fails: true };
    throw error;
  }
}

const LIMIT_MESSAGE = /^expression (too long|too complex|nested too deeply)|^brackets nested too deeply/;
const env = fc.record({
  a: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
  b: fc.integer({ min: -3, max: 3 }),
  c: fc.constantFrom(0, 1, -1, 0.5, 2, 1e200),
});

describe('generated expressions evaluate like the reference', () => {
  for (const [name, render] of [
    ['fully parenthesized', full],
    ['minimal parentheses (precedence)', minimal],
  ] as const) {
    it(name, () => {
      let compiled = 0;
      let runs = 0;
      fc.assert(
        fc.property(gen, env, (tree, values) => {
          runs++;
          const text = render(tree);
          const result = compileExpression(text, { variables: new Set(['a', 'b', 'c']) });
          if (!result.ok) {
            // Only the size limits may refuse a well-formed expression.
            expect(result.message, text).toMatch(LIMIT_MESSAGE);
            return;
          }
          compiled++;
          const expected = outcome(() => reference(tree, values));
          const actual = outcome(() => result.expression.evaluate(values));
          expect(actual, text).toEqual(expected);
        }),
        { numRuns: 600 },
      );
      // Guard against a vacuous run where everything hits the limits.
      expect(compiled).toBeGreaterThan(runs * 0.7);
    });
  }

  it('both renderings of a tree compile to the same result', () => {
    fc.assert(
      fc.property(gen, env, (tree, values) => {
        const a = compileExpression(full(tree));
        const b = compileExpression(minimal(tree));
        fc.pre(a.ok && b.ok);
        if (!a.ok || !b.ok) return;
        expect(
          outcome(() => b.expression.evaluate(values)),
          minimal(tree),
        ).toEqual(outcome(() => a.expression.evaluate(values)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatExpr (the text in evaluation error messages)', () => {
  it('compiles back to an expression that evaluates the same', () => {
    fc.assert(
      fc.property(gen, env, (tree, values) => {
        const text = minimal(tree);
        const parsed = parseSource(text);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const checked = checkTree(parsed.node, { source: text });
        fc.pre(checked.ok);
        if (!checked.ok) return;
        const formatted = formatExpr(checked.expr);
        const again = compileExpression(formatted);
        if (!again.ok) throw new Error(`${formatted} (from ${text}): ${again.message}`);
        const original = compileExpression(text);
        if (!original.ok) throw new Error(original.message);
        expect(
          outcome(() => again.expression.evaluate(values)),
          formatted,
        ).toEqual(outcome(() => original.expression.evaluate(values)));
      }),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Arbitrary and hostile text

const DANGEROUS_TOKENS = [
  '.constructor',
  '.__proto__',
  'constructor',
  '__proto__',
  'prototype',
  'import',
  'evaluate',
  'createUnit',
  'cos',
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  '=',
  '==',
  '"',
  "'",
  ':',
  ';',
  ',',
  '.',
  '?',
  '!',
  '%',
  '**',
  '^',
  '*',
  '/',
  '+',
  '-',
  '<',
  '>=',
  'not',
  'and',
  'or',
  'to',
  'cm',
  'a',
  'b',
  'x',
  '0',
  '1',
  '2',
  '1e400',
  '0.5',
  'Infinity',
  'NaN',
  'null',
  'true',
  'max',
  'min',
  'round',
  'log',
  'sqrt',
  'clamp',
  ' ',
  '\n',
  '$',
  '#',
  '\\',
  'é',
  '\u0000',
];

const tokenText = fc
  .tuple(fc.array(fc.constantFrom(...DANGEROUS_TOKENS), { maxLength: 40 }), fc.constantFrom('', ' '))
  .map(([tokens, glue]) => tokens.join(glue));

const hostileValue = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, 1e308, -1e308, 5e-324, 0.5));

function exprStats(expr: Expr): { nodes: number; depth: number } {
  const children = (e: Expr): readonly Expr[] => {
    switch (e.kind) {
      case 'number':
      case 'variable':
        return [];
      case 'unary':
        return [e.arg];
      case 'arithmetic':
      case 'logical':
        return [e.left, e.right];
      case 'compare':
        return e.operands;
      case 'conditional':
        return [e.test, e.whenTrue, e.whenFalse];
      case 'call':
        return e.args;
    }
  };
  const kids = children(expr).map(exprStats);
  return {
    nodes: 1 + kids.reduce((s, k) => s + k.nodes, 0),
    depth: 1 + kids.reduce((d, k) => Math.max(d, k.depth), 0),
  };
}

/** Compiles without throwing; if it compiles, evaluation gives a finite number or ExpressionError. */
function survives(text: string, values: readonly number[]): void {
  let result: ReturnType<typeof compileExpression> | undefined;
  expect(() => {
    result = compileExpression(text);
  }).not.toThrow();
  if (!result) throw new Error('no result');
  if (!result.ok) {
    expect(typeof result.message).toBe('string');
    expect(result.message).not.toMatch(/[\r\n]/);
    if (result.offset !== undefined) {
      expect(Number.isInteger(result.offset)).toBe(true);
      expect(result.offset).toBeGreaterThanOrEqual(0);
      expect(result.offset).toBeLessThanOrEqual(text.length);
    }
    return;
  }
  expect(text.length).toBeLessThanOrEqual(EXPRESSION_LIMITS.maxLength);
  // Structure of what was accepted: within the limits, so evaluation work is bounded.
  const parsed = parseSource(text);
  if (!parsed.ok) throw new Error('compiled but does not parse');
  const checked = checkTree(parsed.node, { source: text });
  if (!checked.ok) throw new Error('compiled but does not check');
  const stats = exprStats(checked.expr);
  expect(stats.nodes).toBeLessThanOrEqual(EXPRESSION_LIMITS.maxNodes);
  expect(stats.depth).toBeLessThanOrEqual(EXPRESSION_LIMITS.maxDepth);

  const expression = result.expression;
  const scope = Object.fromEntries(
    expression.variables.map((name, i) => [name, values[i % values.length] ?? 1]),
  );
  try {
    const value = expression.evaluate(scope);
    expect(Number.isFinite(value)).toBe(true);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
  }
}

describe('arbitrary text never escapes compileExpression', () => {
  it('random strings (UTF-16 units, code points, graphemes)', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'ab1 .+-*/^%()[],<>=!?:'), maxLength: 60 }),
    );
    fc.assert(fc.property(text, fc.array(hostileValue, { minLength: 1, maxLength: 4 }), survives), {
      numRuns: 1500,
    });
  });

  it('text built from dangerous tokens', () => {
    fc.assert(fc.property(tokenText, fc.array(hostileValue, { minLength: 1, maxLength: 4 }), survives), {
      numRuns: 1500,
    });
  });

  it('long and deeply nested text is refused by a limit, not by a crash', () => {
    const nested = fc
      .tuple(
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom('(', '[', '-', 'not ', 'max(', 'abs('),
        fc.constantFrom(')', ']', ''),
      )
      .map(([n, open, close]) => `${open.repeat(n)}a${close.repeat(open.endsWith('(') ? n : 0)}`);
    fc.assert(
      fc.property(nested, (text) => {
        const result = compileExpression(text);
        if (result.ok) {
          expect(text.length).toBeLessThanOrEqual(EXPRESSION_LIMITS.maxLength);
          return;
        }
        expect(result.message).toMatch(/too long|too deeply|too complex|syntax error|lists|parenthesis/);
      }),
      { numRuns: 300 },
    );
  });
});
