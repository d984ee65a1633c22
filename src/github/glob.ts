/**
 * Branch and tag patterns with the rules of GitHub's workflow filters (`on.push.branches`), so
 * that `allow-apply-on` means what the same text means in the workflow file beside it. A safety
 * guard must never be looser than its reader expects: `release/*` must not admit
 * `release/1.2/hotfix`.
 *
 * GitHub's filter pattern cheat sheet:
 * - `*` zero or more characters, but not `/`; `**` zero or more of any character;
 * - `?` zero or one of the preceding character; `+` one or more of the preceding character;
 * - `[…]` one character listed or in a range (`a-z`, `A-Z`, `0-9`);
 * - `\` makes the next character literal;
 * - `!` at the start of a pattern excludes what earlier patterns included: the last pattern that
 *   matches decides.
 */

/** A pattern that cannot be compiled (an unclosed `[`, a `?` with nothing before it). */
export class PatternError extends Error {}

/** The regular expression of one GitHub filter pattern (without a leading `!`). */
export function compileGlob(pattern: string): RegExp {
  let source = '';
  // Whether `?` / `+` have a preceding character to apply to (GitHub: "of the preceding character").
  let quantifiable = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else source += '[^/]*';
      quantifiable = false;
    } else if (c === '?' || c === '+') {
      if (!quantifiable) throw new PatternError(`"${c}" in "${pattern}" has no character before it`);
      source += c;
      quantifiable = false;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end <= i + 1) throw new PatternError(`"[" in "${pattern}" is not closed by "]"`);
      const body = pattern.slice(i + 1, end);
      if (!/^([a-zA-Z0-9](-[a-zA-Z0-9])?)+$/.test(body))
        throw new PatternError(`"[${body}]" in "${pattern}": only letters, digits and ranges such as a-z`);
      source += `[${body}]`;
      i = end;
      quantifiable = true;
    } else if (c === '\\' && i + 1 < pattern.length) {
      source += literal(pattern[i + 1] as string);
      i++;
      quantifiable = true;
    } else {
      source += literal(c);
      quantifiable = true;
    }
  }
  return new RegExp(`^${source}$`);
}

function literal(c: string): string {
  return /[.+?^${}()|[\]\\*/-]/.test(c) ? `\\${c}` : c;
}

/** One pattern: `!` excludes. */
export interface CompiledPattern {
  readonly text: string;
  readonly exclude: boolean;
  readonly regex: RegExp;
}

export function compilePatterns(patterns: readonly string[]): CompiledPattern[] {
  return patterns.map((text) => {
    const exclude = text.startsWith('!');
    return { text, exclude, regex: compileGlob(exclude ? text.slice(1) : text) };
  });
}

/**
 * The last pattern matching any of `names` (a branch and its full ref), or undefined. The caller
 * allows only when it is an including one: GitHub's "the last matching pattern decides".
 */
export function lastMatch(
  patterns: readonly CompiledPattern[],
  names: readonly string[],
): CompiledPattern | undefined {
  let found: CompiledPattern | undefined;
  for (const pattern of patterns) if (names.some((name) => pattern.regex.test(name))) found = pattern;
  return found;
}
