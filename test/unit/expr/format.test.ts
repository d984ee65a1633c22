import { describe, expect, it } from 'vitest';
import { checkTree } from '../../../src/expr/check.ts';
import { formatExpr } from '../../../src/expr/format.ts';
import { parseSource } from '../../../src/expr/parse.ts';

function format(source: string): string {
  const parsed = parseSource(source);
  if (!parsed.ok) throw new Error(parsed.message);
  const checked = checkTree(parsed.node, { source });
  if (!checked.ok) throw new Error(checked.message);
  return formatExpr(checked.expr);
}

describe('formatExpr', () => {
  it.each([
    ['(a ^ b) ^ c', '(a ^ b) ^ c'],
    ['a ** b ** c', 'a ^ b ^ c'],
    ['(-a) ** 2', '(-a) ^ 2'],
    ['-a ** 2', '-a ^ 2'],
    ['2 ** -a', '2 ^ -a'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['a / (b * c)', 'a / (b * c)'],
    ['(a + b) * c', '(a + b) * c'],
    ['- -a', '- -a'],
    ['-(-a)', '- -a'],
    ['(not a) == 1', '(not a) == 1'],
    ['not (a == 1)', 'not (a == 1)'],
    ['a < b <= c', 'a < b <= c'],
    ['(a < b) < c', '(a < b) < c'],
    ['a or b and c', 'a or b and c'],
    ['(a or b) and c', '(a or b) and c'],
    ['a ? b : c ? d : e', 'a ? b : c ? d : e'],
    ['(a ? b : c) ? d : e', '(a ? b : c) ? d : e'],
    ['max([a, b + 1])', 'max(a, b + 1)'],
    ['a mod b', 'a % b'],
    ['1e3 + 0.5', '1000 + 0.5'],
    ['true', '1'],
  ])('%s → %s', (source, expected) => {
    expect(format(source)).toBe(expected);
  });
});
