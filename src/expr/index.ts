/**
 * Safe metric expressions (ecs-autoscale's `metric:` arithmetic) without eval.
 * This module is the only entry point. The pipeline, one file each:
 *   parse.ts     length/character/bracket checks, `**` → `^`, mathjs parse (private instance)
 *   check.ts     allow-list walk of the mathjs tree → our own plain tree (ast.ts)
 *   interpret.ts our evaluator over JS numbers; mathjs never evaluates anything
 *   functions.ts the callable functions, their arities and implementations
 *   format.ts    our tree → text, for evaluation error messages
 * docs/expressions.md describes the language and how each known mathjs escape is stopped.
 */
import { checkTree, isReservedName } from './check.ts';
import { singleLine } from './errors.ts';
import { FUNCTION_NAMES } from './functions.ts';
import { interpret } from './interpret.ts';
import { EXPRESSION_LIMITS } from './limits.ts';
import { parseSource } from './parse.ts';

export { ExpressionError } from './errors.ts';
export { EXPRESSION_LIMITS } from './limits.ts';

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
  | {
      readonly ok: false;
      readonly message: string /** 0-based offset into source, when known */;
      readonly offset?: number;
    };

/**
 * Never throws: every refusal, mathjs syntax error or unexpected failure is an `ok: false`.
 * With `options.variables`, any other name is refused (the message lists the defined ones).
 */
export function compileExpression(
  source: string,
  options: { variables?: ReadonlySet<string> } = {},
): CompileResult {
  try {
    if (typeof source !== 'string') return { ok: false, message: 'expression must be a string' };
    const checked = isDefinedName(source, options.variables)
      ? ({ ok: true, expr: { kind: 'variable', name: source }, variables: Object.freeze([source]) } as const)
      : parseAndCheck(source, options.variables);
    if (!checked.ok) return checked;
    const { expr, variables } = checked;
    const expression: CompiledExpression = Object.freeze({
      source,
      variables,
      evaluate: (values: Readonly<Record<string, number>>) => interpret(expr, values, source),
    });
    return { ok: true, expression };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, message: singleLine(`cannot compile expression: ${detail}`) };
  }
}

function parseAndCheck(source: string, variables: ReadonlySet<string> | undefined) {
  const parsed = parseSource(source);
  if (!parsed.ok) return parsed;
  return checkTree(parsed.node, { source, variables });
}

/**
 * The most common metric, a defined alias alone (`metric: cpu`), without mathjs: its parse
 * would give a SymbolNode, which checkTree turns into this variable. Worth it because mathjs
 * builds its parser's typed functions on first use (about 0.1 s of CPU at start, a sixth of the
 * config stage of a fleet whose events only name aliases). Any other text, and any name mathjs
 * or checkTree treat specially (keywords, constants, functions, reserved names), takes the full
 * path; a property test compares the two.
 */
function isDefinedName(source: string, variables: ReadonlySet<string> | undefined): boolean {
  return (
    variables?.has(source) === true &&
    source.length <= EXPRESSION_LIMITS.maxLength &&
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(source) &&
    !MATHJS_WORDS.has(source) &&
    !isReservedName(source) &&
    !FUNCTION_NAMES.includes(source)
  );
}

/** Names mathjs's parser reads as operators or constants, not as symbols (mathjs parse.js). */
const MATHJS_WORDS: ReadonlySet<string> = new Set([
  'mod',
  'to',
  'in',
  'and',
  'xor',
  'or',
  'not',
  'true',
  'false',
  'null',
  'undefined',
  'NaN',
  'Infinity',
]);

/** Function names an expression may call; aliases must not collide with them. */
export const EXPRESSION_FUNCTIONS: readonly string[] = FUNCTION_NAMES;
