import { type Document, isScalar, parse, type Scalar, visit } from 'yaml';
import type { Diagnostic } from './diagnostics.ts';
import { locationAt, type Positioned } from './positions.ts';

/**
 * Environment references inside YAML string values:
 *   ${NAME}            must be set (a missing variable is a located error)
 *   ${NAME:-default}   the default when NAME is unset or empty
 *   %(NAME)            ecs-autoscale's syntax, same meaning as ${NAME}
 *   $${ and %%(        a literal `${` or `%(`
 * Every value read from the environment is a secret: the caller masks it in logs and output.
 * ecs-autoscale allowed digits anywhere in `%(...)` names, so `%(1PASSWORD_ITEM)` works too.
 */
const REFERENCE =
  /\$\$\{|%%\(|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|%\(([A-Za-z0-9_]+)\)|\$\{[^}]*\}?|%\([^)]*\)?/g;

export type Environment = Readonly<Record<string, string | undefined>>;

export interface InterpolationResult {
  readonly diagnostics: Diagnostic[];
  /** The values substituted from the environment (not defaults written in the file). */
  readonly secrets: Set<string>;
  /** Every scalar holding a reference, resolved (from the environment or a default) or not. */
  readonly interpolated: Map<Scalar, InterpolatedScalar>;
}

/**
 * What interpolation did to one scalar. Interpolation always yields strings, so `min: ${MIN}`
 * with MIN=3 holds "3"; `typed` is the value YAML itself would have read had the resolved text
 * been written in the file (3, 2.5, true). Validation (src/config/schema.ts) uses it only where
 * the schema rejects the string and only for plain (unquoted) scalars: quoting asks for a string.
 */
export interface InterpolatedScalar {
  /** The scalar was written in quotes (or as a block scalar). */
  readonly quoted: boolean;
  /** The resolved text read as a YAML 1.2 core-schema number or boolean, when it is one. */
  readonly typed?: number | boolean;
  /** The values substituted from the environment into this scalar (not defaults). */
  readonly values: readonly string[];
  /** A reference could not be resolved (reported as an error): the text still holds it. */
  readonly unresolved: boolean;
}

/**
 * What a variable the environment does not have means. `error` (plan, apply, the Action,
 * `validate --strict-env`): the run cannot go on. `warning` (`validate`, checking files offline
 * without the secrets): the value is unknown, the scalar stays unresolved (so checks of its
 * value are skipped and the file is never planned), and a warning says so.
 */
export type MissingEnv = 'error' | 'warning';

/** The message of a variable the environment lacks, as a warning (load.ts keeps one per name). */
export function missingWarning(name: string): string {
  return `environment variable ${name} is not set: its value is unknown, so checks that need it were skipped (validate --strict-env makes this an error)`;
}

/**
 * Whether interpolation could change anything in a file with this text. A value can hold `${`
 * or `%(` only if the text does, or builds it from a double-quoted escape (`"\x24{"`, a
 * `\`-joined line): a file with none of the three has nothing to rewrite, and large fleets'
 * files mostly have none.
 */
export function mayInterpolate(text: string): boolean {
  return /\$\{|%\(|\\/.test(text);
}

/** Rewrites string scalars of `doc` in place. Keys are left alone: they name things. */
export function interpolateDocument(
  file: Positioned & { text: string },
  env: Environment,
  missingEnv: MissingEnv = 'error',
): InterpolationResult {
  const diagnostics: Diagnostic[] = [];
  const secrets = new Set<string>();
  const interpolated = new Map<Scalar, InterpolatedScalar>();
  if (!mayInterpolate(file.text)) return { diagnostics, secrets, interpolated };
  visit(file.doc as Document, {
    Pair(_, pair) {
      // Visit the value only; returning a visitor control value is not needed for keys.
      if (isScalar(pair.value) && typeof pair.value.value === 'string') {
        rewrite(pair.value);
      }
      return undefined;
    },
    Seq(_, seq) {
      for (const item of seq.items) {
        if (isScalar(item) && typeof item.value === 'string') rewrite(item);
      }
      return undefined;
    },
  });
  return { diagnostics, secrets, interpolated };

  function rewrite(scalar: Scalar): void {
    const original = scalar.value as string;
    if (!original.includes('${') && !original.includes('%(')) return;
    const start = scalar.range?.[0] ?? 0;
    const source = file.text.slice(start, scalar.range?.[1] ?? start);
    const values: string[] = [];
    let resolved = false;
    let unresolved = false;
    const replaced = original.replace(
      REFERENCE,
      (token, braced?: string, fallback?: string, percent?: string) => {
        if (token === '$${') return '${';
        if (token === '%%(') return '%(';
        const name = braced ?? percent;
        const where = locationAt(file, start + Math.max(0, source.indexOf(token)));
        if (name === undefined) {
          unresolved = true;
          diagnostics.push({
            ...where,
            severity: 'error',
            message: `malformed variable reference ${JSON.stringify(token)}: write \${NAME}, \${NAME:-default} or %(NAME)`,
          });
          return token;
        }
        const value = env[name];
        if (value !== undefined && !(fallback !== undefined && value === '')) {
          if (value !== '') {
            secrets.add(value);
            values.push(value);
          }
          resolved = true;
          return value;
        }
        if (fallback !== undefined) {
          resolved = true;
          return fallback;
        }
        unresolved = true;
        diagnostics.push(
          missingEnv === 'error'
            ? { ...where, severity: 'error', message: `environment variable ${name} is not set` }
            : { ...where, severity: 'warning', message: missingWarning(name) },
        );
        return token;
      },
    );
    if (replaced !== original) scalar.value = replaced;
    if (resolved || unresolved) {
      const typed = unresolved ? undefined : yamlScalar(replaced);
      interpolated.set(scalar, {
        quoted: scalar.type !== 'PLAIN',
        values,
        unresolved,
        ...(typed === undefined ? {} : { typed }),
      });
    }
  }
}

/** `text` read as YAML would read it in a plain scalar, when that is a finite number or a boolean. */
function yamlScalar(text: string): number | boolean | undefined {
  // Only the characters of numbers and booleans: no comments, flow collections or documents.
  if (!/^[0-9A-Za-z.+-]+$/.test(text)) return undefined;
  let value: unknown;
  try {
    value = parse(text, { schema: 'core' });
  } catch {
    return undefined;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}
