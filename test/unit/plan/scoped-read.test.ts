/** The observe stage's choice between account-wide pages and per-group reads (src/observe/scoped.ts). */
import { describe, expect, it } from 'vitest';
import { readScoped } from '../../../src/observe/scoped.ts';

interface Item {
  readonly group: string;
  readonly n: number;
}

/** An account holding `perGroup` items for each of `groups`, listed 100 per page. */
function account(groups: readonly string[], perGroup: number, others = 0) {
  const items: Item[] = [
    ...groups.flatMap((group) => Array.from({ length: perGroup }, (_, n) => ({ group, n }))),
    ...Array.from({ length: others }, (_, n) => ({ group: `other-${n}`, n })),
  ];
  const calls = { all: 0, group: 0 };
  const page = (list: Item[], token: string | undefined) => {
    const start = Number(token ?? 0);
    const next = start + 100 < list.length ? String(start + 100) : undefined;
    return { items: list.slice(start, start + 100), nextToken: next };
  };
  return {
    calls,
    options: {
      groups,
      perGroup: async () => groups,
      listAll: async (token: string | undefined) => {
        calls.all++;
        return page(items, token);
      },
      listGroup: async (group: string, token: string | undefined) => {
        calls.group++;
        return page(
          items.filter((i) => i.group === group),
          token,
        );
      },
      keep: (i: Item) => groups.includes(i.group),
    },
  };
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `g${i}`);

describe('readScoped', () => {
  it('lists the account when that is cheaper: ceil(items / 100) calls', async () => {
    const acct = account(names(500), 2);
    const items = await readScoped(acct.options);
    expect(items).toHaveLength(1000);
    expect(acct.calls).toEqual({ all: 10, group: 0 });
  });

  it('keeps only the groups asked for', async () => {
    const acct = account(names(3), 1, 50);
    const items = await readScoped(acct.options);
    expect(items.map((i) => i.group)).toEqual(['g0', 'g1', 'g2']);
    expect(acct.calls).toEqual({ all: 1, group: 0 });
  });

  it('switches to per-group reads after G - 1 pages when the account holds far more', async () => {
    const acct = account(names(5), 1, 10_000);
    const items = await readScoped(acct.options);
    expect(items).toHaveLength(5);
    // 4 account pages wasted, then 5 per group: below 2 × min(101, 5).
    expect(acct.calls).toEqual({ all: 4, group: 5 });
  });

  it('reads a single group directly', async () => {
    const acct = account(names(1), 3, 10_000);
    expect(await readScoped(acct.options)).toHaveLength(3);
    expect(acct.calls).toEqual({ all: 0, group: 1 });
  });

  it('makes no call without groups', async () => {
    const acct = account([], 0, 10);
    expect(await readScoped(acct.options)).toEqual([]);
    expect(acct.calls).toEqual({ all: 0, group: 0 });
  });

  it('fails whole when a per-group read fails (the caller marks it unknown)', async () => {
    const acct = account(names(2), 1, 10_000);
    const failing = {
      ...acct.options,
      listGroup: async (group: string) => {
        if (group === 'g1') throw new Error('Throttling');
        return { items: [] };
      },
    };
    await expect(readScoped(failing)).rejects.toThrow('Throttling');
  });
});
