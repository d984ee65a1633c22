/**
 * The allow-list walk: mathjs parse tree → our own Expr tree (ast.ts), or a located refusal.
 *
 * Every node type, operator and function is refused unless listed here. That is the security
 * boundary: mathjs's sandbox escapes all went through something this walk never accepts
 * (property access, indexing, objects, strings, assignment, function definition, calls of
 * mathjs functions such as import/evaluate/createUnit, functions returned by expressions).
 */
import type { MathNode } from 'mathjs';
import type { ArithmeticOp, CompareOp, Expr, LogicalOp, UnaryOp } from './ast.ts';
import { FUNCTION_NAMES, FUNCTIONS } from './functions.ts';
import { EXPRESSION_LIMITS } from './limits.ts';
import { type Failure, failure } from './parse.ts';

// Views of the mathjs node fields we read. Nodes come only from our own parse of a checked
// string, so `type` names the node class (mathjs defines it as a getter on each prototype).
interface ConstantView {
  readonly value: unknown;
}
interface SymbolView {
  readonly name: string;
}
interface OperatorView {
  readonly op: string;
  readonly fn: string;
  readonly args: readonly MathNode[];
  readonly implicit: boolean;
  /** `10%` parses as 10 / 100 with this flag; Python has no such operator. */
  readonly isPercentage?: boolean;
}
interface FunctionView {
  readonly fn: MathNode;
  readonly args: readonly MathNode[];
}
interface ArrayView {
  readonly items: readonly MathNode[];
}
interface ParenthesisView {
  readonly content: MathNode;
}
interface ConditionalView {
  readonly condition: MathNode;
  readonly trueExpr: MathNode;
  readonly falseExpr: MathNode;
}
interface RelationalView {
  readonly conditionals: readonly string[];
  readonly params: readonly MathNode[];
}

// Keyed by mathjs's function name for the operator (`fn`), which is what decides its meaning.
const UNARY: ReadonlyMap<string, UnaryOp> = new Map([
  ['unaryMinus', 'unaryMinus'],
  ['unaryPlus', 'unaryPlus'],
  ['not', 'not'],
] as const);
const ARITHMETIC: ReadonlyMap<string, ArithmeticOp> = new Map([
  ['add', 'add'],
  ['subtract', 'subtract'],
  ['multiply', 'multiply'],
  ['divide', 'divide'],
  ['pow', 'pow'],
  ['mod', 'mod'],
] as const);
const LOGICAL: ReadonlyMap<string, LogicalOp> = new Map([
  ['and', 'and'],
  ['or', 'or'],
  ['xor', 'xor'],
] as const);
const COMPARE: ReadonlyMap<string, CompareOp> = new Map([
  ['equal', 'equal'],
  ['unequal', 'unequal'],
  ['smaller', 'smaller'],
  ['larger', 'larger'],
  ['smallerEq', 'smallerEq'],
  ['largerEq', 'largerEq'],
] as const);

const LIST_FUNCTIONS = FUNCTION_NAMES.filter((name) => FUNCTIONS.get(name)?.acceptsList).join(', ');

/** Why each refused node type is refused, in the user's words. */
const REFUSED_NODES: Readonly<Record<string, string>> = {
  AccessorNode: 'property access and indexing (a.b, a[1]) are not allowed',
  IndexNode: 'property access and indexing (a.b, a[1]) are not allowed',
  ObjectNode: 'objects are not allowed',
  AssignmentNode: 'assignment "=" is not allowed; compare with "=="',
  FunctionAssignmentNode: 'function definitions are not allowed',
  BlockNode: 'write a single expression',
  RangeNode: 'ranges (a:b) are not allowed',
  ArrayNode: `lists [...] are only allowed as the single argument of ${LIST_FUNCTIONS}`,
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Names that mean something to JavaScript objects, and Python's dunder names. The interpreter
// reads values with Object.hasOwn, so these could not escape anyway; refusing them keeps the
// accepted language free of them altogether.
const RESERVED: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export function isReservedName(name: string): boolean {
  return RESERVED.has(name) || name.startsWith('__');
}

class Refusal extends Error {
  readonly offset: number | undefined;
  constructor(message: string, offset?: number) {
    super(message);
    this.offset = offset;
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const SHOWN_NAMES = 8;

export function unknownMetricMessage(name: string, declared: ReadonlySet<string>): string {
  const sorted = [...declared].sort();
  if (sorted.length === 0) return `unknown metric "${name}" (no metrics are defined)`;
  let suggestion = '';
  let best = 3;
  for (const candidate of sorted) {
    const distance = editDistance(name, candidate);
    if (distance < best && distance < name.length) {
      best = distance;
      suggestion = `did you mean "${candidate}"? `;
    }
  }
  const more = sorted.length > SHOWN_NAMES ? `, … (${sorted.length - SHOWN_NAMES} more)` : '';
  return `unknown metric "${name}" (${suggestion}defined: ${sorted.slice(0, SHOWN_NAMES).join(', ')}${more})`;
}

export interface CheckOptions {
  /** The source as the user wrote it: offsets of refused names are searched in it. */
  readonly source: string;
  readonly variables?: ReadonlySet<string> | undefined;
}

export type CheckResult =
  | { readonly ok: true; readonly expr: Expr; readonly variables: readonly string[] }
  | Failure;

class Checker {
  private nodes = 0;
  private readonly used = new Set<string>();
  private readonly source: string;
  private readonly variables: ReadonlySet<string> | undefined;

  constructor(options: CheckOptions) {
    this.source = options.source;
    this.variables = options.variables;
  }

  usedVariables(): readonly string[] {
    return Object.freeze([...this.used].sort());
  }

  /** mathjs nodes carry no positions: a name is found again in the text (first whole word). */
  private offsetOf(name: string, call = false): number | undefined {
    if (!IDENTIFIER.test(name)) return undefined;
    const match = new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])${call ? '(?=\\s*\\()' : ''}`).exec(
      this.source,
    );
    return match?.index;
  }

  private refuseNode(type: string): Refusal {
    const message = Object.hasOwn(REFUSED_NODES, type) ? REFUSED_NODES[type] : undefined;
    let offset: number | undefined;
    if (type === 'AssignmentNode') offset = /(?<![=!<>])=(?!=)/.exec(this.source)?.index;
    if (type === 'AccessorNode') {
      const match = /[A-Za-z0-9_)\]]\s*(\?\.|\.(?=\s*[A-Za-z_])|\[)/.exec(this.source);
      if (match?.[1] !== undefined) offset = match.index + match[0].length - match[1].length;
    }
    return new Refusal(message ?? `${type} is not allowed`, offset);
  }

  visit(node: MathNode, depth: number): Expr {
    this.nodes++;
    if (this.nodes > EXPRESSION_LIMITS.maxNodes) {
      throw new Refusal(`expression too complex (more than ${EXPRESSION_LIMITS.maxNodes} parts)`);
    }
    if (depth > EXPRESSION_LIMITS.maxDepth) {
      throw new Refusal(`expression nested too deeply (more than ${EXPRESSION_LIMITS.maxDepth} levels)`);
    }
    switch (node.type) {
      case 'ConstantNode':
        return this.constant(node as unknown as ConstantView, node);
      case 'SymbolNode':
        return this.symbol((node as unknown as SymbolView).name);
      case 'ParenthesisNode':
        return this.visit((node as unknown as ParenthesisView).content, depth + 1);
      case 'OperatorNode':
        return this.operator(node as unknown as OperatorView, depth);
      case 'RelationalNode':
        return this.relational(node as unknown as RelationalView, depth);
      case 'ConditionalNode': {
        const view = node as unknown as ConditionalView;
        return {
          kind: 'conditional',
          test: this.visit(view.condition, depth + 1),
          whenTrue: this.visit(view.trueExpr, depth + 1),
          whenFalse: this.visit(view.falseExpr, depth + 1),
        };
      }
      case 'FunctionNode':
        return this.call(node as unknown as FunctionView, depth);
      default:
        throw this.refuseNode(node.type);
    }
  }

  private constant(view: ConstantView, node: MathNode): Expr {
    const value = view.value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Refusal('number is not finite (too large, Infinity or NaN)');
      return { kind: 'number', value };
    }
    // Comparisons give 1 or 0; true and false are the same numbers.
    if (typeof value === 'boolean') return { kind: 'number', value: value ? 1 : 0 };
    if (typeof value === 'string') throw new Refusal('strings are not allowed');
    throw new Refusal(
      `"${node.toString()}" is not allowed; only numbers and metrics are`,
      this.offsetOf(node.toString()),
    );
  }

  private symbol(name: string): Expr {
    if (!IDENTIFIER.test(name)) throw new Refusal(`name "${name}" is not allowed`);
    if (isReservedName(name)) throw new Refusal(`name "${name}" is reserved`, this.offsetOf(name));
    const spec = FUNCTIONS.get(name);
    if (spec) throw new Refusal(`function "${name}" must be called: ${spec.usage}`, this.offsetOf(name));
    if (this.variables && !this.variables.has(name)) {
      throw new Refusal(unknownMetricMessage(name, this.variables), this.offsetOf(name));
    }
    this.used.add(name);
    return { kind: 'variable', name };
  }

  /**
   * mathjs binds `not` like unary minus (`not a == 1` is `(not a) == 1`); Python binds it below
   * comparisons and arithmetic (`not (a == 1)`). Refuse the one shape where the two disagree:
   * an unparenthesized `not` as the left operand of an arithmetic operator or comparison.
   */
  private refuseAmbiguousNot(left: MathNode | undefined): void {
    if (left?.type === 'OperatorNode' && (left as unknown as OperatorView).fn === 'not') {
      throw new Refusal(
        `ambiguous "${left.toString()}": write parentheses, e.g. "not (a == 1)" or "(not a) == 1"`,
        this.offsetOf('not'),
      );
    }
  }

  private operator(view: OperatorView, depth: number): Expr {
    const [left, right] = view.args;
    if (view.implicit) {
      const a = left?.toString() ?? '';
      const b = right?.toString() ?? '';
      throw new Refusal(
        `missing operator between "${a}" and "${b}" (implicit multiplication is not allowed)`,
      );
    }
    if (view.isPercentage === true) {
      throw new Refusal(
        '"%" is the modulo operator and needs a right operand (a % b); for a percentage write x / 100',
      );
    }
    if (view.args.length === 1 && left) {
      const op = UNARY.get(view.fn);
      if (op) return { kind: 'unary', op, arg: this.visit(left, depth + 1) };
    }
    if (view.args.length === 2 && left && right) {
      const arithmetic = ARITHMETIC.get(view.fn);
      if (arithmetic) {
        this.refuseAmbiguousNot(left);
        return {
          kind: 'arithmetic',
          op: arithmetic,
          left: this.visit(left, depth + 1),
          right: this.visit(right, depth + 1),
        };
      }
      const logical = LOGICAL.get(view.fn);
      if (logical) {
        return {
          kind: 'logical',
          op: logical,
          left: this.visit(left, depth + 1),
          right: this.visit(right, depth + 1),
        };
      }
      const compare = COMPARE.get(view.fn);
      if (compare) {
        this.refuseAmbiguousNot(left);
        return {
          kind: 'compare',
          ops: [compare],
          operands: [this.visit(left, depth + 1), this.visit(right, depth + 1)],
        };
      }
    }
    const hint = view.fn === 'factorial' ? ' (factorial); use "!=" or "not"' : '';
    const offset = /^[A-Za-z]+$/.test(view.op)
      ? this.offsetOf(view.op)
      : view.op === '!'
        ? this.source.search(/!(?!=)/)
        : this.source.indexOf(view.op);
    throw new Refusal(
      `operator "${view.op}" is not allowed${hint}`,
      offset !== undefined && offset >= 0 ? offset : undefined,
    );
  }

  /** `a < b <= c`: Python's chained comparison, supported with Python's meaning. */
  private relational(view: RelationalView, depth: number): Expr {
    const ops: CompareOp[] = [];
    for (const conditional of view.conditionals) {
      const op = COMPARE.get(conditional);
      if (!op) throw new Refusal(`comparison "${conditional}" is not allowed`);
      ops.push(op);
    }
    if (view.params.length !== ops.length + 1) throw new Refusal('malformed comparison chain');
    this.refuseAmbiguousNot(view.params[0]);
    return { kind: 'compare', ops, operands: view.params.map((param) => this.visit(param, depth + 1)) };
  }

  private call(view: FunctionView, depth: number): Expr {
    if (view.fn.type !== 'SymbolNode') {
      throw new Refusal('only functions called by name are allowed, e.g. max(a, b)');
    }
    const name = (view.fn as unknown as SymbolView).name;
    if (isReservedName(name)) throw new Refusal(`name "${name}" is reserved`, this.offsetOf(name));
    const spec = FUNCTIONS.get(name);
    if (!spec) {
      const offset = this.offsetOf(name, true);
      if (this.variables?.has(name)) throw new Refusal(`metric "${name}" is not a function`, offset);
      throw new Refusal(`function "${name}" is not allowed (allowed: ${FUNCTION_NAMES.join(', ')})`, offset);
    }
    let argNodes = view.args;
    let argDepth = depth + 1;
    const [only] = argNodes;
    if (spec.acceptsList && argNodes.length === 1 && only?.type === 'ArrayNode') {
      // max([a, b]) as in ecs-autoscale's Python: the list's items are the arguments.
      this.nodes++;
      argDepth++;
      argNodes = (only as unknown as ArrayView).items;
      if (argNodes.length === 0) throw new Refusal(`${name}() of an empty list`, this.offsetOf(name, true));
    }
    if (argNodes.length < spec.minArgs || argNodes.length > spec.maxArgs) {
      throw new Refusal(
        `wrong number of arguments to ${name}() (got ${argNodes.length}; usage: ${spec.usage})`,
        this.offsetOf(name, true),
      );
    }
    const args = argNodes.map((arg) => this.visit(arg, argDepth));
    const digits = args[1];
    if (name === 'round' && digits?.kind === 'number') {
      const value = digits.value;
      if (!Number.isInteger(value) || value < 0 || value > EXPRESSION_LIMITS.maxRoundDigits) {
        throw new Refusal(`round() takes 0 to ${EXPRESSION_LIMITS.maxRoundDigits} digits (got ${value})`);
      }
    }
    return { kind: 'call', name, args };
  }
}

export function checkTree(root: MathNode, options: CheckOptions): CheckResult {
  const checker = new Checker(options);
  try {
    const expr = checker.visit(root, 1);
    return { ok: true, expr, variables: checker.usedVariables() };
  } catch (error) {
    if (error instanceof Refusal) return failure(error.message, error.offset);
    throw error;
  }
}
