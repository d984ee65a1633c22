/** Which instance an entry names: group 1 of the registry's `instance` pattern, if it is an instance id. */
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export type EntryMatch =
  | { readonly ours: true; readonly instanceId: string }
  | { readonly ours: false; readonly why: string };

export function matchEntry(pattern: RegExp, entryId: string): EntryMatch {
  const match = pattern.exec(entryId);
  if (match === null) return { ours: false, why: 'does not match the instance pattern' };
  const captured = match[1];
  if (captured === undefined || captured === '') return { ours: false, why: 'the pattern captured nothing' };
  if (!INSTANCE_ID.test(captured)) return { ours: false, why: `captured ${captured}, not an instance id` };
  return { ours: true, instanceId: captured };
}

/** The registry's pattern, compiled once; an invalid one (validation stops those) matches nothing. */
export function compilePattern(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    return /(?!)/;
  }
}
