import { type Alias, type Document, isAlias, isCollection, isPair, type Node, visit } from 'yaml';

/**
 * The alias at which yaml's `toJS({ maxAliasCount })` gives up ("Excessive alias count"), which
 * yaml reports without a position. It keeps, per anchored node, how often it has been used (1
 * for the anchor itself, +1 per alias) times the most copies one use expands to (aliases inside
 * it count their own anchor's uses), and fails at the first alias where that product passes the
 * limit. This follows the same count in the same order (document order, a key before its
 * value): yaml 2's nodes/Alias.js and nodes/toJS.js.
 */
export function aliasOverLimit(doc: Document.Parsed, maxAliasCount: number): Alias | undefined {
  const uses = new Map<unknown, { count: number; aliasCount: number }>();
  const lastAnchored = new Map<string, Node>();
  let culprit: Alias | undefined;
  visit(doc as Document, {
    Node(_, node) {
      if (!isAlias(node)) {
        if (node.anchor) {
          lastAnchored.set(node.anchor, node);
          uses.set(node, { count: 1, aliasCount: 0 });
        }
        return undefined;
      }
      const source = lastAnchored.get(node.source);
      const data = source && uses.get(source);
      if (!data) return undefined;
      data.count += 1;
      if (data.aliasCount === 0) data.aliasCount = copies(source);
      if (data.count * data.aliasCount <= maxAliasCount) return undefined;
      culprit = node;
      return visit.BREAK;
    },
  });
  return culprit;

  function copies(node: unknown): number {
    if (isAlias(node)) {
      const source = lastAnchored.get(node.source);
      const data = source && uses.get(source);
      return data ? data.count * data.aliasCount : 0;
    }
    if (isCollection(node)) return node.items.reduce<number>((most, item) => Math.max(most, copies(item)), 0);
    if (isPair(node)) return Math.max(copies(node.key), copies(node.value));
    return 1;
  }
}
