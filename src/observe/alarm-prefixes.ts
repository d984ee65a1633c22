/**
 * How to list the owned alarms of many groups side by side: DescribeAlarms pages (100 alarms)
 * follow one another, so one listing of `gitops-` over 2,000 alarms is 20 round trips in a row.
 * AlarmNamePrefix lets the listing be split: `gitops-web-` and `gitops-api-` can be read at once.
 * Splitting costs calls, though (each listing's last page is partly empty, and a listing of
 * nothing still takes one call), so the split is chosen: the shortest chain of pages whose
 * calls stay within {@link SLACK} of one listing's. Pure.
 *
 * The prefixes come from the groups' own (`gitops-<group>-`): each listing is the longest prefix
 * its groups share, and every group's prefix falls in exactly one listing (a group's prefix that
 * is also the start of another's, `gitops-web-` and `gitops-web-api-`, keeps both in one). The
 * sizes are estimates (the alarms the YAML wants of each group): a wrong one costs a page, never
 * an alarm.
 */

export interface GroupAlarms {
  /** The group's owned prefix, `gitops-<group>-`. */
  readonly prefix: string;
  readonly group: string;
  /** Alarms expected under it (the YAML's threshold sides). */
  readonly alarms: number;
}

export interface AlarmListing {
  /** The AlarmNamePrefix to list. */
  readonly prefix: string;
  /** The groups whose alarms it lists. */
  readonly groups: readonly string[];
  /** Pages expected. */
  readonly pages: number;
}

/** Calls a split may add over one listing's: 10 %, at least none. */
export const SLACK = 0.1;
/** Chains longer than this are not split further (the answer is then one listing). */
const MAX_CHAIN = 40;

interface Node {
  readonly prefix: string;
  readonly groups: readonly GroupAlarms[];
  readonly pages: number;
  /** Per chain length c (index c - 1): the fewest calls with no listing longer than c pages. */
  readonly calls: readonly number[];
  /** Whether that best is reached by splitting into the children (else: one listing here). */
  readonly split: readonly boolean[];
  readonly children: readonly Node[];
}

export function alarmListings(groups: readonly GroupAlarms[], perPage: number): AlarmListing[] {
  if (groups.length === 0) return [];
  const sorted = [...groups].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  const total = pagesOf(sorted, perPage);
  const chains = Math.min(total, MAX_CHAIN);
  const root = build(sorted, perPage, chains);
  const budget = total + Math.floor(total * SLACK);
  for (let c = 1; c <= chains; c++) {
    if ((root.calls[c - 1] ?? Infinity) <= budget) return collect(root, c);
  }
  return [{ prefix: root.prefix, groups: root.groups.map((g) => g.group), pages: root.pages }];
}

function pagesOf(groups: readonly GroupAlarms[], perPage: number): number {
  return Math.max(1, Math.ceil(groups.reduce((n, g) => n + g.alarms, 0) / perPage));
}

function build(groups: readonly GroupAlarms[], perPage: number, chains: number): Node {
  const prefix = commonPrefix(groups.map((g) => g.prefix));
  const pages = pagesOf(groups, perPage);
  // One listing here meets every chain of at least its pages.
  const whole = Array.from({ length: chains }, (_, i) => (i + 1 >= pages ? pages : Infinity));
  // A group whose prefix is this one: its alarms may continue with any character, so no set of
  // longer prefixes covers them. Otherwise the groups part by the next character.
  if (groups.length === 1 || groups.some((g) => g.prefix === prefix)) {
    return { prefix, groups, pages, calls: whole, split: whole.map(() => false), children: [] };
  }
  const parts = new Map<number, GroupAlarms[]>();
  for (const g of groups) {
    // By code point: a prefix never ends half-way through a character.
    const key = g.prefix.codePointAt(prefix.length) ?? -1;
    const part = parts.get(key);
    if (part === undefined) parts.set(key, [g]);
    else part.push(g);
  }
  const children = [...parts.values()].map((part) => build(part, perPage, chains));
  const calls: number[] = [];
  const split: boolean[] = [];
  for (let i = 0; i < chains; i++) {
    const apart = children.reduce((n, child) => n + (child.calls[i] ?? Infinity), 0);
    const here = whole[i] ?? Infinity;
    // On a tie one listing is kept: fewer prefixes, and the same calls.
    split.push(apart < here);
    calls.push(Math.min(apart, here));
  }
  return { prefix, groups, pages, calls, split, children };
}

function collect(node: Node, chain: number): AlarmListing[] {
  if (node.split[chain - 1] !== true) {
    return [{ prefix: node.prefix, groups: node.groups.map((g) => g.group), pages: node.pages }];
  }
  return node.children.flatMap((child) => collect(child, chain));
}

function commonPrefix(strings: readonly string[]): string {
  let prefix = strings[0] ?? '';
  for (const s of strings) {
    let i = 0;
    while (i < prefix.length && i < s.length && prefix.charCodeAt(i) === s.charCodeAt(i)) i++;
    prefix = prefix.slice(0, i);
  }
  // Never half a surrogate pair: AWS takes whole characters.
  const last = prefix.charCodeAt(prefix.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? prefix.slice(0, -1) : prefix;
}
