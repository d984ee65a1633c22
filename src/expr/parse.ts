/**
 * Text → mathjs parse tree, with the cheap checks that must happen before mathjs sees the text:
 * length, characters, bracket depth, and the Python spellings mathjs does not know (`**`).
 * Nothing is evaluated here; check.ts decides whether the tree is acceptable.
 */
import type { MathNode } from 'mathjs';
import { create, parseDependencies } from 'mathjs/number';
import { singleLine } from './errors.ts';
import { EXPRESSION_LIMITS } from './limits.ts';

/**
 * A private instance holding only the parser and what it needs (node classes, numeric, typed):
 * no evaluate, import, createUnit, units, matrix functions, simplify. Being private, nothing
 * else in the process can reconfigure it (e.g. `math.parse.isAlpha` or `math.import` on the
 * default instance). Numbers parse as plain JS numbers.
 *
 * From mathjs's number-only build (`mathjs/number`): the same parser and node classes, without
 * BigNumber, Fraction and Complex, whose typed conversions the full build sets up on the first
 * parse. It halves what the bundles carry of mathjs and makes the first parse (which every
 * validate of a configuration with events pays) several times cheaper.
 */
if (parseDependencies === undefined) throw new Error('mathjs does not export parseDependencies');
const math = create(parseDependencies, { number: 'number' });

export type Failure = { readonly ok: false; readonly message: string; readonly offset?: number };
export type ParseResult = { readonly ok: true; readonly node: MathNode } | Failure;

export function failure(message: string, offset?: number): Failure {
  return offset === undefined ? { ok: false, message } : { ok: false, message, offset };
}

/**
 * Everything an allowed expression can contain. Whitespace other than the space is turned into
 * spaces first. Left out on purpose: quotes (strings), `{}` (objects), `;` (several statements),
 * `#` (comments hide text), `'` (transpose), `&|~` (bitwise), `$@\` and backticks, and every
 * non-ASCII character (identifiers are ASCII, and look-alike letters should not pass).
 */
const ALLOWED_CHARACTER = /[A-Za-z0-9_ .+\-*/^%()[\],<>=!?:]/;

const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  '"': 'strings are not allowed',
  "'": 'strings are not allowed',
  '`': 'strings are not allowed',
  '{': 'objects are not allowed',
  '}': 'objects are not allowed',
  ';': 'write a single expression',
  '#': 'comments are not allowed',
  '&': 'use "and"',
  '|': 'use "or"',
  '~': 'bitwise operators are not allowed',
  '@': 'matrix multiplication is not allowed',
  '\\': 'escapes are not allowed',
};

function showCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (char === '"') return `'"'`;
  if (code > 0x20 && code < 0x7f) return `"${char}"`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function checkCharacters(text: string): Failure | undefined {
  let offset = 0;
  for (const char of text) {
    if (!ALLOWED_CHARACTER.test(char)) {
      const hint = Object.hasOwn(CHARACTER_HINTS, char) ? `; ${CHARACTER_HINTS[char]}` : '';
      return failure(`character ${showCharacter(char)} is not allowed${hint}`, offset);
    }
    offset += char.length;
  }
  return undefined;
}

/** mathjs's parser is recursive descent: bound bracket nesting before it recurses. */
function checkBrackets(text: string): Failure | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '(' || char === '[') {
      depth++;
      if (depth > EXPRESSION_LIMITS.maxDepth) {
        return failure(`brackets nested too deeply (more than ${EXPRESSION_LIMITS.maxDepth} levels)`, i);
      }
    } else if ((char === ')' || char === ']') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** Text mathjs can parse, same length as the source so that offsets stay valid. */
export function prepare(source: string): { readonly ok: true; readonly text: string } | Failure {
  if (source.length > EXPRESSION_LIMITS.maxLength) {
    return failure(
      `expression too long (${source.length} characters; at most ${EXPRESSION_LIMITS.maxLength})`,
      EXPRESSION_LIMITS.maxLength,
    );
  }
  // Tabs and line breaks (YAML block scalars) are spaces; mathjs would read a newline as a
  // statement separator.
  const text = source.replace(/[\t\n\r]/g, ' ');
  if (text.trim() === '') return failure('empty expression');
  const badCharacter = checkCharacters(text);
  if (badCharacter) return badCharacter;
  const floorDivision = text.indexOf('//');
  if (floorDivision >= 0) {
    return failure('"//" (floor division) is not supported; write floor(a / b)', floorDivision);
  }
  const deep = checkBrackets(text);
  if (deep) return deep;
  // Python's power operator. `^ ` keeps the length; no strings exist, so `**` is always the operator.
  return { ok: true, text: text.replaceAll('**', '^ ') };
}

/** mathjs's SyntaxError carries a 1-based `char`; its message ends with " (char N)". */
function syntaxFailure(error: unknown, sourceLength: number): Failure {
  const raw = error instanceof Error ? error.message : String(error);
  const message = singleLine(raw.replace(/\s*\(char \d+\)\s*$/, ''));
  const lowered = message.charAt(0).toLowerCase() + message.slice(1);
  const char = error instanceof Error ? (error as Error & { char?: unknown }).char : undefined;
  const offset =
    typeof char === 'number' && Number.isInteger(char)
      ? Math.min(Math.max(char - 1, 0), sourceLength)
      : undefined;
  return failure(`syntax error: ${lowered}`, offset);
}

export function parseSource(source: string): ParseResult {
  const prepared = prepare(source);
  if (!prepared.ok) return prepared;
  try {
    return { ok: true, node: math.parse(prepared.text) };
  } catch (error) {
    return syntaxFailure(error, source.length);
  }
}
