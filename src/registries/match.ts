/**
 * Which instance an entry names: group 1 of the registry's `instance` pattern, if it is an
 * instance id. The pattern must match the WHOLE entry id, as if written `^(?:pattern)$`: entry
 * ids come from outside, and an unanchored `(i-[0-9a-f]+)` would otherwise call
 * `i-0123456789abcdef0; rm -rf /` ours and hand it to a delete command. A pattern that really
 * means "anything around the id" says so (`.*(i-[0-9a-f]+).*`).
 */
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export type EntryMatch =
  | { readonly ours: true; readonly instanceId: string }
  | { readonly ours: false; readonly why: string };

export function matchEntry(pattern: RegExp, entryId: string): EntryMatch {
  const match = pattern.exec(entryId);
  // Checked here too, whatever the pattern's anchors: a match of a part is no match.
  if (match === null || match.index !== 0 || match[0] !== entryId)
    return { ours: false, why: 'does not match the instance pattern' };
  const captured = match[1];
  if (captured === undefined || captured === '') return { ours: false, why: 'the pattern captured nothing' };
  if (!INSTANCE_ID.test(captured)) return { ours: false, why: `captured ${captured}, not an instance id` };
  return { ours: true, instanceId: captured };
}

/**
 * The registry's pattern, compiled once and anchored at both ends (`(?:...)` keeps its groups'
 * numbers); an invalid one (validation stops those) matches nothing.
 */
export function compilePattern(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return /(?!)/;
  }
}
