/**
 * Safe metric expressions (ecs-autoscale's `metric:` arithmetic) without eval.
 * Implementation: see the files beside this one. This module is the only entry point.
 */
export interface CompiledExpression {
  /** The text as written in YAML. */
  readonly source: string;
  /** Variable names the expression reads, sorted. */
  readonly variables: readonly string[];
  /** Throws ExpressionError when a variable is missing or the result is not a finite number. */
  evaluate(values: Readonly<Record<string, number>>): number;
}

export type CompileResult =
  | { readonly ok: true; readonly expression: CompiledExpression }
  | { readonly ok: false; readonly message: string; /** 0-based offset into source, when known */ readonly offset?: number };

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

export function compileExpression(_source: string, _options: { variables?: ReadonlySet<string> } = {}): CompileResult {
  throw new Error('not implemented yet');
}

/** Function names an expression may call; aliases must not collide with them. */
export const EXPRESSION_FUNCTIONS: readonly string[] = [];
