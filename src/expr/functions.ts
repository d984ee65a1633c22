/**
 * The functions an expression may call: the whole list, with arities and our own
 * implementations over JS numbers. Nothing here comes from mathjs: a name that is not in this
 * table cannot be called, whatever mathjs would make of it.
 */
import { EXPRESSION_LIMITS } from './limits.ts';

/** A function's argument is outside its domain in a way that is not just "result not finite". */
export class DomainError extends Error {
  override readonly name = 'DomainError';
}

export interface FunctionSpec {
  readonly name: string;
  readonly minArgs: number;
  /** Number.POSITIVE_INFINITY for variadic functions. */
  readonly maxArgs: number;
  /**
   * `max([a, b])`: ecs-autoscale's documented (Python) form, a single list argument. Only these
   * functions accept a list, and only as their one argument.
   */
  readonly acceptsList: boolean;
  /** How docs and arity messages show the call. */
  readonly usage: string;
  readonly summary: string;
  readonly apply: (args: readonly number[]) => number;
}

/**
 * Python's float `%`: the result takes the sign of the divisor (`-7 % 3 == 2`), unlike
 * JavaScript's `%`. Same steps as CPython's float_rem, so results match to the bit.
 * A zero divisor gives NaN; the interpreter reports it as a modulo by zero.
 */
export function pythonMod(a: number, b: number): number {
  if (b === 0) return Number.NaN;
  const r = a % b;
  if (r === 0) return b < 0 ? -0 : 0;
  return r < 0 !== b < 0 ? r + b : r;
}

/**
 * Python's `round(x, digits)`: correctly rounded, exact halves go to the even neighbour
 * (`round(2.5) == 2`, `round(0.125, 2) == 0.12`, `round(2.675, 2) == 2.67` because 2.675 is
 * stored just below). `toFixed` rounds the exact binary value too, but sends exact halves away
 * from zero, so exact halves are detected and fixed here.
 */
export function pythonRound(x: number, digits = 0): number {
  if (!Number.isInteger(digits) || digits < 0 || digits > EXPRESSION_LIMITS.maxRoundDigits) {
    throw new DomainError(`round() takes 0 to ${EXPRESSION_LIMITS.maxRoundDigits} digits (got ${digits})`);
  }
  const magnitude = Math.abs(x);
  // Doubles this large are integers already; toFixed would switch to exponent notation.
  if (magnitude >= 1e21) return x;
  let text = magnitude.toFixed(digits);
  // 100 digits show a double's exact expansion far enough: an exact half at `digits + 1`
  // places needs at most digits + 1 fractional digits, and anything else shows a nonzero digit.
  const exact = magnitude.toFixed(100);
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 1 + digits);
  if (/^50*$/.test(rest)) {
    const truncated = exact.slice(0, digits === 0 ? point : point + 1 + digits);
    if (Number(truncated.at(-1)) % 2 === 0) text = truncated;
  }
  const rounded = Number(text);
  return x < 0 ? -rounded : rounded;
}

function variadic(name: string, summary: string, apply: (args: readonly number[]) => number): FunctionSpec {
  return {
    name,
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    acceptsList: true,
    usage: `${name}(a, b, ...) or ${name}([a, b, ...])`,
    summary,
    apply,
  };
}

function fixed(
  name: string,
  params: readonly string[],
  optional: number,
  summary: string,
  apply: (args: readonly number[]) => number,
): FunctionSpec {
  const shown = params.map((p, i) => (i >= params.length - optional ? `${p}?` : p));
  return {
    name,
    minArgs: params.length - optional,
    maxArgs: params.length,
    acceptsList: false,
    usage: `${name}(${shown.join(', ')})`,
    summary,
    apply,
  };
}

// `args[i]` is always present: the checker enforces the arity before a call can run.
const arg = (args: readonly number[], i: number): number => args[i] ?? Number.NaN;

function sum(args: readonly number[]): number {
  let total = 0;
  for (const value of args) total += value;
  return total;
}

const SPECS: readonly FunctionSpec[] = [
  fixed('abs', ['x'], 0, 'absolute value', (a) => Math.abs(arg(a, 0))),
  fixed('ceil', ['x'], 0, 'smallest integer ≥ x', (a) => Math.ceil(arg(a, 0))),
  fixed('clamp', ['x', 'lo', 'hi'], 0, 'x limited to [lo, hi]', (a) => {
    const [x, lo, hi] = [arg(a, 0), arg(a, 1), arg(a, 2)];
    if (lo > hi) throw new DomainError(`clamp() lower bound ${lo} is above upper bound ${hi}`);
    return Math.min(Math.max(x, lo), hi);
  }),
  fixed('exp', ['x'], 0, 'e to the power x', (a) => Math.exp(arg(a, 0))),
  fixed('floor', ['x'], 0, 'largest integer ≤ x', (a) => Math.floor(arg(a, 0))),
  fixed('log', ['x', 'base'], 1, 'natural logarithm, or logarithm to base', (a) =>
    a.length > 1 ? Math.log(arg(a, 0)) / Math.log(arg(a, 1)) : Math.log(arg(a, 0)),
  ),
  fixed('log10', ['x'], 0, 'base-10 logarithm', (a) => Math.log10(arg(a, 0))),
  fixed('log2', ['x'], 0, 'base-2 logarithm', (a) => Math.log2(arg(a, 0))),
  variadic('max', 'largest value', (a) => Math.max(...a)),
  variadic('mean', 'arithmetic mean', (a) => sum(a) / a.length),
  variadic('min', 'smallest value', (a) => Math.min(...a)),
  fixed('mod', ['a', 'b'], 0, 'same as a % b (sign of b, as in Python)', (a) =>
    pythonMod(arg(a, 0), arg(a, 1)),
  ),
  fixed('pow', ['a', 'b'], 0, 'same as a ^ b and a ** b', (a) => arg(a, 0) ** arg(a, 1)),
  fixed('round', ['x', 'digits'], 1, "Python's round: halves to even; digits 0 to 15", (a) =>
    pythonRound(arg(a, 0), a.length > 1 ? arg(a, 1) : 0),
  ),
  fixed('sign', ['x'], 0, '-1, 0 or 1', (a) => Math.sign(arg(a, 0))),
  fixed('sqrt', ['x'], 0, 'square root', (a) => Math.sqrt(arg(a, 0))),
  variadic('sum', 'sum of the values', sum),
];

/** A Map, not an object: a lookup of "constructor" or "__proto__" finds nothing. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(SPECS.map((spec) => [spec.name, spec]));

export const FUNCTION_NAMES: readonly string[] = Object.freeze(SPECS.map((spec) => spec.name).sort());
