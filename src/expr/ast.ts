/**
 * The checked expression tree: plain, frozen data built by check.ts from mathjs's parse tree.
 * The interpreter only ever sees this shape, never a mathjs node, so no mathjs code (and no
 * JavaScript object it could reach) runs when an expression is evaluated.
 */
export type UnaryOp = 'unaryMinus' | 'unaryPlus' | 'not';
export type ArithmeticOp = 'add' | 'subtract' | 'multiply' | 'divide' | 'pow' | 'mod';
export type LogicalOp = 'and' | 'or' | 'xor';
export type CompareOp = 'equal' | 'unequal' | 'smaller' | 'larger' | 'smallerEq' | 'largerEq';

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr }
  | {
      readonly kind: 'arithmetic';
      readonly op: ArithmeticOp;
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly kind: 'logical'; readonly op: LogicalOp; readonly left: Expr; readonly right: Expr }
  /** `a < b` and Python-style chains `a < b <= c` (= `a < b and b <= c`, `b` read once). */
  | { readonly kind: 'compare'; readonly ops: readonly CompareOp[]; readonly operands: readonly Expr[] }
  | { readonly kind: 'conditional'; readonly test: Expr; readonly whenTrue: Expr; readonly whenFalse: Expr }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] };
