/**
 * Dot paths into a JSON answer (`message_stats.publish_details.rate`, `queues.0.messages`): a
 * name picks an object's own field, a non-negative integer picks a list item. Nothing is looked
 * up on prototypes (`constructor`, `__proto__` are only found when the answer has them).
 */

export type PathResult =
  | { readonly found: true; readonly value: unknown }
  | { readonly found: false; readonly reason: string };

const INDEX = /^(0|[1-9][0-9]*)$/;

export function readPath(root: unknown, path: string): PathResult {
  let node = root;
  const walked: string[] = [];
  for (const part of path.split('.')) {
    const here = walked.length === 0 ? 'the answer' : `"${walked.join('.')}"`;
    if (Array.isArray(node)) {
      if (!INDEX.test(part)) {
        return { found: false, reason: `${here} is a list: "${part}" is not an item number` };
      }
      const index = Number(part);
      if (index >= node.length) {
        return { found: false, reason: `${here} has ${node.length} item(s): no item ${index}` };
      }
      node = node[index];
    } else if (node !== null && typeof node === 'object') {
      if (!Object.hasOwn(node, part)) return { found: false, reason: `${here} has no field "${part}"` };
      node = (node as Record<string, unknown>)[part];
    } else {
      return { found: false, reason: `${here} is ${kindOf(node)}, not an object or a list` };
    }
    walked.push(part);
  }
  return { found: true, value: node };
}

/** The value's JSON kind, for messages (never the value itself: answers may hold anything). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** The number at `path`, or why there is none: a metric is a finite JSON number, nothing else. */
export function readNumber(root: unknown, path: string): { value: number } | { reason: string } {
  const found = readPath(root, path);
  if (!found.found) return { reason: found.reason };
  const value = found.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { reason: `"${path}" is ${kindOf(value)}, not a number` };
  }
  return { value };
}
