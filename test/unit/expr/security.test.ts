/**
 * Known mathjs escape and denial-of-service shapes (its security page and advisories): every one
 * must be refused at compile time, with an `ok: false` result and no exception, whether or not a
 * list of metrics is declared. The expected reason pins down which check stops it, which is what
 * docs/expressions.md claims in its escape table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompileResult, compileExpression, EXPRESSION_FUNCTIONS } from '../../../src/expr/index.ts';

const DECLARED = new Set(['a', 'b', 'x', 'cpu_usage']);

const PROPERTY = /^property access and indexing/;
const RESERVED = /^name "[^"]+" is reserved$/;
const NOT_ALLOWED_FUNCTION = /^function "[A-Za-z_]+" is not allowed \(allowed: abs, /;
const LIST = /^lists \[\.\.\.\] are only allowed as the single argument of max, mean, min, sum$/;
const QUOTE = /^character '"' is not allowed; strings are not allowed$/;

const PAYLOADS: ReadonlyArray<readonly [string, RegExp]> = [
  // CVE-2017-1001002 / CVE-2017-1001003 (mathjs < 3.10.1 / 3.11): Function constructor reached
  // through properties of functions, arrays and objects.
  ['cos.constructor("return process")()', QUOTE],
  ['cos.constructor', PROPERTY],
  ['sqrt.constructor.call(a)', /^only functions called by name are allowed/],
  ['[].map.constructor', PROPERTY],
  ['(1).constructor', PROPERTY],
  ['true.constructor', PROPERTY],
  ['a.constructor.constructor', PROPERTY],
  ['a[constructor]', PROPERTY],
  ['a["constructor"]', QUOTE],
  ['{}.constructor.assign(cos.constructor, {binding: cos.bind})', /^character "\{" is not allowed; objects/],
  ['a.b(x)', /^only functions called by name are allowed/],
  // Prototype pollution and names JavaScript objects inherit.
  ['{}["__proto__"]', /^character "\{" is not allowed/],
  ['a.__proto__', PROPERTY],
  ['a?.constructor', PROPERTY],
  ['__proto__', RESERVED],
  ['constructor', RESERVED],
  ['prototype', RESERVED],
  ['toString', RESERVED],
  ['valueOf(a)', RESERVED],
  ['hasOwnProperty(a)', RESERVED],
  ['__defineGetter__(a, b)', RESERVED],
  ['__import__(a)', RESERVED],
  ['__class__', RESERVED],
  // Functions that alter or re-enter mathjs (security page; 2017 and 2024 advisories).
  ['import(a)', NOT_ALLOWED_FUNCTION],
  ['createUnit(a)', NOT_ALLOWED_FUNCTION],
  ['evaluate(a)', NOT_ALLOWED_FUNCTION],
  ['parse(a)', NOT_ALLOWED_FUNCTION],
  ['compile(a)', NOT_ALLOWED_FUNCTION],
  ['simplify(a)', NOT_ALLOWED_FUNCTION],
  ['derivative(a, x)', NOT_ALLOWED_FUNCTION],
  ['chain(a)', NOT_ALLOWED_FUNCTION],
  ['typed(a)', NOT_ALLOWED_FUNCTION],
  ['reviver(a)', NOT_ALLOWED_FUNCTION],
  ['config(a)', NOT_ALLOWED_FUNCTION],
  ['help(a)', NOT_ALLOWED_FUNCTION],
  ['resolve(a)', NOT_ALLOWED_FUNCTION],
  ['concat(a, b)', NOT_ALLOWED_FUNCTION],
  ['map([a], sqrt)', NOT_ALLOWED_FUNCTION],
  ['subset([a], index(1))', NOT_ALLOWED_FUNCTION],
  // Huge allocations and loops (security page: CPU and memory).
  ['zeros(1e9)', NOT_ALLOWED_FUNCTION],
  ['ones(1e5, 1e5)', NOT_ALLOWED_FUNCTION],
  ['identity(1e6)', NOT_ALLOWED_FUNCTION],
  ['range(1, 1e10)', NOT_ALLOWED_FUNCTION],
  ['1:1e10', /^ranges \(a:b\) are not allowed$/],
  ['[1, 2, 3]', LIST],
  ['max([[a, b]])', LIST],
  ['max([a, [b]])', LIST],
  ['max(([a, b]))', LIST],
  ['abs([a])', LIST],
  ['max([a]) + [b]', LIST],
  // Definitions, assignments, several statements.
  ['a = 1', /^assignment "=" is not allowed/],
  ['x[1] = 2', /^assignment "=" is not allowed/],
  ['f(x) = x', /^function definitions are not allowed$/],
  ['f(x) = cos.constructor', /^function definitions are not allowed$/],
  ['a; b', /^character ";" is not allowed/],
  ['a\nb', /^missing operator between "a" and "b"/],
  // Strings, units, matrices and operators outside arithmetic.
  ['"abc"', QUOTE],
  ["'abc'", /^character "'" is not allowed/],
  ['5 cm', /^missing operator between "5" and "cm"/],
  ['5 to cm', /^operator "to" is not allowed$/],
  ['a in b', /^operator "in" is not allowed$/],
  ['2a', /^missing operator/],
  ['f(a)(b)', /^missing operator/],
  ['a!', /^operator "!" is not allowed/],
  ["a'", /^character "'" is not allowed/],
  ['a ?? b', /^operator "\?\?" is not allowed$/],
  ['a << 1000', /^operator "<<" is not allowed$/],
  ['a .* b', /^operator "\.\*" is not allowed$/],
  ['a & b', /^character "&" is not allowed/],
  ['~a', /^character "~" is not allowed/],
  ['a # hidden', /^character "#" is not allowed/],
  ['$a', /^character "\$" is not allowed/],
  ['\\u0063onstructor', /^character "\\" is not allowed/],
  ['\u03f2onstructor', /^character U\+03F2 is not allowed$/],
  ['a\u200b', /^character U\+200B is not allowed$/],
  // Non-numbers and non-finite numbers.
  ['null', /^"null" is not allowed/],
  ['undefined', /^"undefined" is not allowed/],
  ['Infinity', /^number is not finite/],
  ['NaN', /^number is not finite/],
  ['1e400', /^number is not finite/],
  ['10%', /^"%" is the modulo operator/],
  // Functions used as values.
  ['max', /^function "max" must be called/],
  ['sqrt + 1', /^function "sqrt" must be called/],
  // Parser recursion and work bounds (deep nesting, long input).
  [`${'('.repeat(5000)}a${')'.repeat(5000)}`, /^expression too long \(10001 characters; at most 500\)$/],
  [`${'('.repeat(200)}a${')'.repeat(200)}`, /^brackets nested too deeply \(more than 32 levels\)$/],
  [`${'['.repeat(40)}a${']'.repeat(40)}`, /^brackets nested too deeply/],
  [`${'-'.repeat(100)}a`, /^expression nested too deeply \(more than 32 levels\)$/],
  [`${'not '.repeat(100)}a`, /^expression nested too deeply/],
  [`a${' + a'.repeat(60)}`, /^expression nested too deeply/],
  [`a${'^a'.repeat(200)}`, /^expression nested too deeply/],
  [`max(${'a,'.repeat(210)}a)`, /^expression too complex \(more than 200 parts\)$/],
  ['a'.repeat(501), /^expression too long/],
];

/** Names that only a declared list catches: without one they are ordinary variables. */
const DECLARED_ONLY: ReadonlyArray<readonly [string, RegExp]> = [
  ['pi * a', /^unknown metric "pi"/],
  ['end', /^unknown metric "end"/],
  ['process', /^unknown metric "process"/],
  ['require', /^unknown metric "require"/],
  ['math', /^unknown metric "math"/],
];

function compileSafely(source: string, variables: ReadonlySet<string> | null): CompileResult {
  let result: CompileResult | undefined;
  expect(() => {
    result = compileExpression(source, variables ? { variables } : {});
  }).not.toThrow();
  if (!result) throw new Error('no result');
  return result;
}

const prototypeNames = (target: object) => Object.getOwnPropertyNames(target).sort();
let objectNames: string[] = [];
let functionNames: string[] = [];
let arrayNames: string[] = [];

beforeAll(() => {
  objectNames = prototypeNames(Object.prototype);
  functionNames = prototypeNames(Function.prototype);
  arrayNames = prototypeNames(Array.prototype);
});

afterAll(() => {
  // Nothing a payload did may have leaked into the built-in prototypes.
  expect(prototypeNames(Object.prototype)).toEqual(objectNames);
  expect(prototypeNames(Function.prototype)).toEqual(functionNames);
  expect(prototypeNames(Array.prototype)).toEqual(arrayNames);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('mathjs escape and DoS shapes are refused at compile time', () => {
  it('covers at least 30 distinct payloads', () => {
    expect(new Set(PAYLOADS.map(([source]) => source)).size).toBeGreaterThanOrEqual(30);
    expect(PAYLOADS.length).toBe(new Set(PAYLOADS.map(([source]) => source)).size);
  });

  it.each(PAYLOADS)('%s', (source, reason) => {
    for (const variables of [DECLARED, null]) {
      const result = compileSafely(source, variables);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.message).toMatch(reason);
      expect(result.message).not.toMatch(/[\r\n]/);
      if (result.offset !== undefined) {
        expect(result.offset).toBeGreaterThanOrEqual(0);
        expect(result.offset).toBeLessThanOrEqual(source.length);
      }
    }
  });

  it.each(DECLARED_ONLY)('%s is an unknown metric when metrics are declared', (source, reason) => {
    const result = compileSafely(source, DECLARED);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(reason);
  });

  it('reads nothing but own properties of the values object, even for an undeclared name', () => {
    const result = compileSafely('process + a', null);
    if (!result.ok) throw new Error(result.message);
    const values = Object.create({ process: 1 }) as Record<string, number>;
    values.a = 1;
    expect(() => result.expression.evaluate(values)).toThrow(/metric "process" has no value/);
  });

  it('offers no function that parses, imports, defines units or builds matrices', () => {
    const dangerous = [
      'import',
      'createUnit',
      'evaluate',
      'parse',
      'compile',
      'simplify',
      'derivative',
      'chain',
    ];
    const more = [
      'typed',
      'reviver',
      'config',
      'help',
      'resolve',
      'map',
      'forEach',
      'filter',
      'zeros',
      'ones',
      'range',
    ];
    for (const name of [...dangerous, ...more, 'matrix', 'concat', 'subset', 'index', 'string', 'format']) {
      expect(EXPRESSION_FUNCTIONS).not.toContain(name);
    }
  });
});

describe('src/expr uses mathjs only to parse', () => {
  const dir = join(import.meta.dirname, '../../../src/expr');
  const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
  // Code only: comments may name what the code avoids.
  const withoutComments = (text: string) =>
    text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const sources = files.map(
    (name) => [name, withoutComments(readFileSync(join(dir, name), 'utf8'))] as const,
  );

  it('imports only create and parseDependencies (and types) from mathjs', () => {
    // Values from the number-only build (parse.ts says why), types from the package's one .d.ts.
    const imports = sources.flatMap(([, text]) => [
      ...text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'mathjs(?:\/number)?'/g),
    ]);
    expect(imports.length).toBeGreaterThan(0);
    const names = imports.flatMap((match) =>
      match[1]
        ? []
        : (match[2] ?? '')
            .split(',')
            .map((name) => name.trim())
            .filter((name) => !name.startsWith('type ')),
    );
    expect(names.sort()).toEqual(['create', 'parseDependencies']);
    for (const [name, text] of sources) {
      expect(text, name).not.toMatch(/from 'mathjs\/(?!number')/);
      expect(text, name).not.toMatch(/import\s+\{[^}]*\}\s+from\s+'mathjs'/);
      expect(text, name).not.toMatch(/import\s+\*\s+as\s+\w+\s+from\s+'mathjs(?:\/number)?'/);
    }
  });

  it('never calls compile or evaluate on mathjs objects', () => {
    for (const [name, text] of sources) {
      expect(text, name).not.toMatch(/\.(compile|evaluate)\s*\(/);
      expect(text, name).not.toMatch(/\bmath\.(?!parse\()/);
    }
  });
});
