import type { Known, LiveGroup, LiveGroupInstance, LiveRegistryEntry } from '../model.ts';

/**
 * Which instance an entry names: group 1 of the registry's `instance` pattern, if it is an
 * instance id. The pattern must match the WHOLE entry id, as if written `^(?:pattern)$`: entry
 * ids come from outside, and an unanchored `(i-[0-9a-f]+)` would otherwise call
 * `i-0123456789abcdef0; rm -rf /` ours and hand it to a delete command. A pattern that really
 * means "anything around the id" says so (`.*(i-[0-9a-f]+).*`).
 */
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** `instance` when the YAML leaves it out: the entry id is the instance id. */
export const DEFAULT_INSTANCE_PATTERN = '^(i-[0-9a-f]{8,17})$';

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

/** The instances the listed entries name through the pattern (observe and the adds planner). */
export function presentInstances(pattern: RegExp, entries: readonly LiveRegistryEntry[]): Set<string> {
  const present = new Set<string>();
  for (const entry of entries) {
    const match = matchEntry(pattern, entry.id);
    if (match.ours) present.add(match.instanceId);
  }
  return present;
}

export interface MissingMember {
  readonly member: LiveGroupInstance;
  readonly group: string;
}

/**
 * The InService members of `forGroups` (as read) that no entry names, and how many InService
 * members there are. A group not read or missing adds none (the planner says so).
 */
export function missingMembers(
  forGroups: readonly string[],
  live: ReadonlyMap<string, Known<LiveGroup | null>>,
  present: ReadonlySet<string>,
): { readonly missing: MissingMember[]; readonly inService: number } {
  const missing: MissingMember[] = [];
  let inService = 0;
  for (const group of forGroups) {
    const read = live.get(group);
    if (read === undefined || !read.known || read.value === null) continue;
    for (const member of read.value.instances) {
      if (member.lifecycleState !== 'InService') continue;
      inService++;
      if (!present.has(member.id)) missing.push({ member, group });
    }
  }
  return { missing, inService };
}
