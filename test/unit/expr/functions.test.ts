import { describe, expect, it } from 'vitest';
import { DomainError, FUNCTIONS, pythonMod, pythonRound } from '../../../src/expr/functions.ts';
import cases from './python-cases.json' with { type: 'json' };

// python-cases.json was produced by CPython (see its "generator" field): round(x, n) and a % b
// on ties, decimal-looking halves, and random values. Python's repr round-trips through Number().
const same = (actual: number, expected: number) => Object.is(actual, expected) || actual === expected;

describe('pythonRound', () => {
  it.each([
    [0.5, 0, 0],
    [1.5, 0, 2],
    [2.5, 0, 2],
    [-0.5, 0, -0],
    [-1.5, 0, -2],
    [0.125, 2, 0.12],
    [0.375, 2, 0.38],
    [2.675, 2, 2.67],
    [1.005, 2, 1],
    [-2.675, 1, -2.7],
    [0.045, 2, 0.04],
    [9.995, 1, 10],
    [9.995, 2, 9.99],
    [1234.5678, 2, 1234.57],
    [4500000000000000.5, 0, 4500000000000000],
    [1e22, 2, 1e22],
  ])('round(%d, %d) = %d as in Python', (x, digits, expected) => {
    expect(pythonRound(x, digits)).toBe(expected);
  });

  it(`matches CPython on ${cases.round.length} generated cases`, () => {
    const wrong = cases.round.filter(([x, digits, expected]) => {
      const actual = pythonRound(Number(x), Number(digits));
      return !same(actual, Number(expected));
    });
    expect(wrong).toEqual([]);
    expect(cases.round.length).toBeGreaterThan(300);
  });

  it('refuses digits outside 0..15 and fractional digits', () => {
    expect(() => pythonRound(1, -1)).toThrow(DomainError);
    expect(() => pythonRound(1, 16)).toThrow('round() takes 0 to 15 digits (got 16)');
    expect(() => pythonRound(1, 0.5)).toThrow(DomainError);
    expect(pythonRound(1.23456789, 15)).toBe(1.23456789);
  });
});

describe('pythonMod', () => {
  it.each([
    [-7, 3, 2],
    [7, -3, -2],
    [-7.5, 2, 0.5],
    [5.5, -2, -0.5],
    [-1e-17, 1, 1],
    [1e-17, -1, -1],
    [0, -3, -0],
    [-0, 3, 0],
    [-3, -7, -3],
  ])('%d %% %d = %d as in Python', (a, b, expected) => {
    expect(pythonMod(a, b)).toBe(expected);
  });

  it(`matches CPython on ${cases.mod.length} generated cases`, () => {
    const wrong = cases.mod.filter(
      ([a, b, expected]) => !same(pythonMod(Number(a), Number(b)), Number(expected)),
    );
    expect(wrong).toEqual([]);
  });

  it('gives NaN for a zero divisor (the interpreter reports it)', () => {
    expect(pythonMod(1, 0)).toBeNaN();
  });
});

describe('the function table', () => {
  const call = (name: string, ...args: number[]) => {
    const spec = FUNCTIONS.get(name);
    if (!spec) throw new Error(`no ${name}`);
    return spec.apply(args);
  };

  it('implements each function over plain numbers', () => {
    expect(call('abs', -3)).toBe(3);
    expect(call('ceil', 1.2)).toBe(2);
    expect(call('floor', -1.2)).toBe(-2);
    expect(call('clamp', 5, 0, 3)).toBe(3);
    expect(call('clamp', -5, 0, 3)).toBe(0);
    expect(call('exp', 0)).toBe(1);
    expect(call('log', Math.E)).toBe(1);
    expect(call('log', 100, 10)).toBe(2);
    expect(call('log10', 0.001)).toBe(-3);
    expect(call('log2', 8)).toBe(3);
    expect(call('max', 1, 7, 3)).toBe(7);
    expect(call('min', 1, 7, -3)).toBe(-3);
    expect(call('mean', 1, 2, 6)).toBe(3);
    expect(call('sum', 1, 2, 6)).toBe(9);
    expect(call('mod', -1, 4)).toBe(3);
    expect(call('pow', 2, 0.5)).toBe(Math.SQRT2);
    expect(call('round', 2.5)).toBe(2);
    expect(call('sign', -0.1)).toBe(-1);
    expect(call('sqrt', 9)).toBe(3);
  });

  it('refuses clamp bounds in the wrong order', () => {
    expect(() => call('clamp', 1, 3, 0)).toThrow(DomainError);
  });

  it('cannot be reached through inherited names', () => {
    expect(FUNCTIONS.get('constructor')).toBeUndefined();
    expect(FUNCTIONS.get('__proto__')).toBeUndefined();
    expect(FUNCTIONS.get('toString')).toBeUndefined();
  });
});
