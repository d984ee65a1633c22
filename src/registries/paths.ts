/**
 * Dot paths into JSON (`data.nodes.0.name`): field names separated by dots, a number picks a list
 * item. Only own properties are read, so `__proto__` or `constructor` in a path find nothing.
 */
export function readPath(value: unknown, path: string | undefined): unknown {
  if (path === undefined) return value;
  let node: unknown = value;
  for (const segment of path.split('.')) {
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(segment)) return undefined;
      node = node[Number(segment)];
    } else if (node !== null && typeof node === 'object') {
      if (!Object.hasOwn(node, segment)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return node;
}
