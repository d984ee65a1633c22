/**
 * Hard limits on an expression. Real metric expressions are a few dozen characters; the limits
 * exist so that a hostile or broken YAML value cannot make the parser, the checker or the
 * interpreter do unbounded work (deep recursion, huge trees).
 */
export const EXPRESSION_LIMITS = Object.freeze({
  /** Characters in the source, checked before mathjs sees the text. */
  maxLength: 500,
  /** Parse-tree nodes (every number, name, operator, call and parenthesis counts). */
  maxNodes: 200,
  /** Nesting depth of the parse tree; also the deepest bracket nesting accepted before parsing. */
  maxDepth: 32,
  /** `round(x, digits)`: digits from 0 to this. */
  maxRoundDigits: 15,
});
