/**
 * Our own evaluator for checked expressions (ast.ts): a switch over plain JS numbers. mathjs's
 * compile/evaluate never run, so none of its functions, types or conversions are reachable.
 *
 * Semantics follow Python where ecs-autoscale users would notice: `%` takes the divisor's
 * sign, comparisons are exact and chain, `and`/`or` short-circuit and `c ? x : y` evaluates one
 * branch, so `b != 0 and a / b > 1` and `b == 0 ? 0 : a / b` are safe. Every intermediate value
 * must be finite; the first one that is not stops evaluation with an ExpressionError.
 */
import type { CompareOp, Expr } from './ast.ts';
import { ExpressionError, quoteSource } from './errors.ts';
import { formatExpr } from './format.ts';
import { DomainError, FUNCTIONS, pythonMod } from './functions.ts';

function compare(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case 'equal':
      return a === b;
    case 'unequal':
      return a !== b;
    case 'smaller':
      return a < b;
    case 'larger':
      return a > b;
    case 'smallerEq':
      return a <= b;
    case 'largerEq':
      return a >= b;
  }
}

export function interpret(root: Expr, values: Readonly<Record<string, number>>, source: string): number {
  // Messages are built only when something fails.
  const quoted = () => quoteSource(source);
  const notFinite = (detail: string) =>
    new ExpressionError(`expression ${quoted()} did not give a finite number: ${detail}`);
  const finite = (value: number, expr: Expr): number => {
    if (Number.isFinite(value)) return value;
    throw notFinite(
      `${quoteSource(formatExpr(expr))} ${Number.isNaN(value) ? 'is not a real number' : 'is too large'}`,
    );
  };
  if (typeof values !== 'object' || values === null) {
    throw new ExpressionError(`expression ${quoted()}: no metric values were given`);
  }

  const run = (expr: Expr): number => {
    switch (expr.kind) {
      case 'number':
        return expr.value;
      case 'variable': {
        // Own properties only: a name can never reach Object.prototype or anything inherited.
        if (!Object.hasOwn(values, expr.name)) {
          throw new ExpressionError(`expression ${quoted()}: metric "${expr.name}" has no value`);
        }
        const value: unknown = values[expr.name];
        if (typeof value !== 'number') {
          throw new ExpressionError(
            `expression ${quoted()}: metric "${expr.name}" is not a number (${typeof value})`,
          );
        }
        if (!Number.isFinite(value)) {
          throw new ExpressionError(
            `expression ${quoted()}: metric "${expr.name}" is not a finite number (${value})`,
          );
        }
        return value;
      }
      case 'unary': {
        const value = run(expr.arg);
        if (expr.op === 'not') return value === 0 ? 1 : 0;
        return expr.op === 'unaryMinus' ? -value : value;
      }
      case 'arithmetic': {
        const a = run(expr.left);
        const b = run(expr.right);
        switch (expr.op) {
          case 'add':
            return finite(a + b, expr);
          case 'subtract':
            return finite(a - b, expr);
          case 'multiply':
            return finite(a * b, expr);
          case 'divide':
            if (b === 0) throw notFinite(`division by zero in ${quoteSource(formatExpr(expr))}`);
            return finite(a / b, expr);
          case 'mod':
            if (b === 0) throw notFinite(`modulo by zero in ${quoteSource(formatExpr(expr))}`);
            return finite(pythonMod(a, b), expr);
          case 'pow':
            if (a === 0 && b < 0) throw notFinite(`division by zero in ${quoteSource(formatExpr(expr))}`);
            return finite(a ** b, expr);
        }
        break;
      }
      case 'logical': {
        const left = run(expr.left) !== 0;
        if (expr.op === 'and') return left && run(expr.right) !== 0 ? 1 : 0;
        if (expr.op === 'or') return left || run(expr.right) !== 0 ? 1 : 0;
        return left !== (run(expr.right) !== 0) ? 1 : 0;
      }
      case 'compare': {
        // Python's chain: a < b < c is a < b and b < c, each operand read once, stop at false.
        const [first, ...rest] = expr.operands;
        if (first === undefined) return 0;
        let left = run(first);
        for (const [i, operand] of rest.entries()) {
          const right = run(operand);
          const op = expr.ops[i];
          if (op === undefined || !compare(op, left, right)) return 0;
          left = right;
        }
        return 1;
      }
      case 'conditional':
        return run(expr.test) !== 0 ? run(expr.whenTrue) : run(expr.whenFalse);
      case 'call': {
        const spec = FUNCTIONS.get(expr.name);
        if (!spec) throw new ExpressionError(`expression ${quoted()}: unknown function "${expr.name}"`);
        const args = expr.args.map(run);
        try {
          return finite(spec.apply(args), expr);
        } catch (error) {
          if (error instanceof DomainError) {
            throw new ExpressionError(
              `expression ${quoted()}: ${error.message} in ${quoteSource(formatExpr(expr))}`,
            );
          }
          throw error;
        }
      }
    }
    throw new ExpressionError(`expression ${quoted()}: cannot be evaluated`);
  };

  const result = run(root);
  if (!Number.isFinite(result)) throw notFinite('the result is not finite');
  // -0 reads as 0 everywhere else (JSON, thresholds); do not let it surprise anyone.
  return result === 0 ? 0 : result;
}
