import { isScalar, Scalar, visit, type Document } from 'yaml';
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
const REFERENCE = /\$\$\{|%%\(|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|%\(([A-Za-z0-9_]+)\)|\$\{[^}]*\}?|%\([^)]*\)?/g;

export type Environment = Readonly<Record<string, string | undefined>>;

export interface InterpolationResult {
  readonly diagnostics: Diagnostic[];
  /** The values substituted from the environment (not defaults written in the file). */
  readonly secrets: Set<string>;
}

/** Rewrites string scalars of `doc` in place. Keys are left alone: they name things. */
export function interpolateDocument(file: Positioned & { text: string }, env: Environment): InterpolationResult {
  const diagnostics: Diagnostic[] = [];
  const secrets = new Set<string>();
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
  return { diagnostics, secrets };

  function rewrite(scalar: Scalar): void {
    const original = scalar.value as string;
    if (!original.includes('${') && !original.includes('%(')) return;
    const start = scalar.range?.[0] ?? 0;
    const source = file.text.slice(start, scalar.range?.[1] ?? start);
    const replaced = original.replace(REFERENCE, (token, braced?: string, fallback?: string, percent?: string) => {
      if (token === '$${') return '${';
      if (token === '%%(') return '%(';
      const name = braced ?? percent;
      const where = locationAt(file, start + Math.max(0, source.indexOf(token)));
      if (name === undefined) {
        diagnostics.push({ ...where, severity: 'error', message: `malformed variable reference ${JSON.stringify(token)}: write \${NAME}, \${NAME:-default} or %(NAME)` });
        return token;
      }
      const value = env[name];
      if (value !== undefined && !(fallback !== undefined && value === '')) {
        if (value !== '') secrets.add(value);
        return value;
      }
      if (fallback !== undefined) return fallback;
      diagnostics.push({ ...where, severity: 'error', message: `environment variable ${name} is not set` });
      return token;
    });
    if (replaced !== original) scalar.value = replaced;
  }
}
