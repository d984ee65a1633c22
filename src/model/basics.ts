/** Shared basics of the model: where AWS is reached, where in the YAML, known or unknown. */

// ─── Shared basics ─────────────────────────────────────────────────────────────────────────────

/** Where AWS is reached for an object: one region of one account (through an optional role). */
export interface AwsScope {
  readonly region: string;
  readonly roleArn?: string;
}

/** A stable key for maps keyed by scope. */
export function scopeKey(scope: AwsScope): string {
  return scope.roleArn === undefined ? scope.region : `${scope.region} ${scope.roleArn}`;
}

/** The place in the YAML an object comes from: where a change or an error points the reader. */
export interface Origin {
  readonly file: string;
  readonly line: number;
}

/**
 * A value read from AWS, or the reason it could not be read. Unknown is not empty: nothing
 * destructive is planned from an unknown value.
 */
export type Known<T> =
  | { readonly known: true; readonly value: T }
  | { readonly known: false; readonly reason: string };

export function known<T>(value: T): Known<T> {
  return Object.freeze({ known: true, value });
}

export function unknown<T>(reason: string): Known<T> {
  return Object.freeze({ known: false, reason });
}

/** Ownership marks (CONTRACT.md): the name prefix always, the tag where AWS takes tags. */
export const OWNED_PREFIX = 'gitops-';
export const OWNER_TAG = Object.freeze({ key: 'managed-by', value: 'autoscale-gitops' });

/** Deep-freezes plain data (objects, arrays, maps) so a snapshot cannot be changed by accident. */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  // Already-frozen wrappers (e.g. from `known`) may hold unfrozen values: walk them all the same.
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Map) {
    for (const [k, v] of value) {
      deepFreeze(k, seen);
      deepFreeze(v, seen);
    }
    // A frozen Map still has set/delete/clear: shadow them so writes fail loudly.
    if (!Object.isFrozen(value)) {
      const refuse = (): never => {
        throw new TypeError('the Live snapshot is read-only');
      };
      Object.defineProperties(value, {
        set: { value: refuse },
        delete: { value: refuse },
        clear: { value: refuse },
      });
    }
  } else {
    for (const v of Object.values(value)) deepFreeze(v, seen);
  }
  return Object.freeze(value);
}
