/**
 * Expr → text, for error messages at evaluation time ("division by zero in "a / b""). Our own
 * formatter, so that evaluating never calls into mathjs, and cheap, so that compiling does not
 * pay for text that is only needed when something fails. Parentheses follow the precedence in
 * docs/expressions.md; the output compiles back to the same expression.
 */
import type { ArithmeticOp, CompareOp, Expr, LogicalOp } from './ast.ts';

const LEVEL = {
  conditional: 1,
  or: 2,
  xor: 3,
  and: 4,
  compare: 5,
  add: 6,
  multiply: 7,
  unary: 8,
  pow: 9,
  atom: 10,
};

const ARITHMETIC_TEXT: Readonly<Record<ArithmeticOp, string>> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  mod: '%',
  pow: '^',
};
const COMPARE_TEXT: Readonly<Record<CompareOp, string>> = {
  equal: '==',
  unequal: '!=',
  smaller: '<',
  larger: '>',
  smallerEq: '<=',
  largerEq: '>=',
};
const LOGICAL_LEVEL: Readonly<Record<LogicalOp, number>> = { or: LEVEL.or, xor: LEVEL.xor, and: LEVEL.and };

function level(expr: Expr): number {
  switch (expr.kind) {
    case 'conditional':
      return LEVEL.conditional;
    case 'logical':
      return LOGICAL_LEVEL[expr.op];
    case 'compare':
      return LEVEL.compare;
    case 'arithmetic':
      if (expr.op === 'add' || expr.op === 'subtract') return LEVEL.add;
      return expr.op === 'pow' ? LEVEL.pow : LEVEL.multiply;
    case 'unary':
      return LEVEL.unary;
    default:
      return LEVEL.atom;
  }
}

/** `leftOperand`: a bare `not` there would be refused as ambiguous, so it gets parentheses. */
function operand(expr: Expr, required: number, leftOperand = false): string {
  const text = formatExpr(expr);
  const notOnLeft = leftOperand && expr.kind === 'unary' && expr.op === 'not';
  return level(expr) < required || notOnLeft ? `(${text})` : text;
}

export function formatExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return String(expr.value);
    case 'variable':
      return expr.name;
    case 'unary': {
      const arg = operand(expr.arg, LEVEL.unary);
      if (expr.op === 'not') return `not ${arg}`;
      const sign = expr.op === 'unaryMinus' ? '-' : '+';
      return /^[-+]/.test(arg) ? `${sign} ${arg}` : `${sign}${arg}`;
    }
    case 'arithmetic': {
      const own = level(expr);
      // ^ is right-associative and its base binds tighter than unary minus; the others are left-associative.
      const left = expr.op === 'pow' ? operand(expr.left, LEVEL.atom) : operand(expr.left, own, true);
      const right = expr.op === 'pow' ? operand(expr.right, LEVEL.unary) : operand(expr.right, own + 1);
      return `${left} ${ARITHMETIC_TEXT[expr.op]} ${right}`;
    }
    case 'logical': {
      const own = level(expr);
      return `${operand(expr.left, own)} ${expr.op} ${operand(expr.right, own + 1)}`;
    }
    case 'compare':
      return expr.operands
        .map((item, i) => {
          const op = expr.ops[i - 1];
          return op === undefined
            ? operand(item, LEVEL.add, true)
            : ` ${COMPARE_TEXT[op]} ${operand(item, LEVEL.add)}`;
        })
        .join('');
    case 'conditional':
      return `${operand(expr.test, LEVEL.or)} ? ${operand(expr.whenTrue, LEVEL.or)} : ${operand(expr.whenFalse, LEVEL.conditional)}`;
    case 'call':
      return `${expr.name}(${expr.args.map((arg) => formatExpr(arg)).join(', ')})`;
  }
}
