/**
 * Reading objects that belong to groups from an API that lists them either for the whole account
 * (paginated, 100 per page) or for one group at a time (DescribePolicies,
 * DescribeScheduledActions; DescribeAlarms by name prefix).
 *
 * Which is cheaper depends on a number we cannot know beforehand: how many such objects the
 * account holds besides ours. Account-wide costs ceil(all / 100) calls; per group, at least one
 * call per group. So: walk the account-wide pages, but give up after G - 1 pages with more to
 * come and read per group instead (G calls, in parallel). That never costs more than
 * 2 × min(account-wide, per group) - 1 calls and, in the usual case (an account mostly managed
 * here), exactly the account-wide lower bound. With one group, per group is never worse: go
 * straight there.
 */

import { type Page, paginateByToken, settleWithConcurrency } from '../aws/batch.ts';
import { DeadlineError } from '../deadline.ts';

export const READ_CONCURRENCY = 10;

export interface ScopedReadOptions<T> {
  /** Groups of the YAML in this scope: the budget for account-wide pages. */
  readonly groups: readonly string[];
  /** Groups to read one by one if it comes to that (those that may exist). */
  readonly perGroup: () => Promise<readonly string[]>;
  readonly listAll: (token: string | undefined) => Promise<Page<T>>;
  readonly listGroup: (group: string, token: string | undefined) => Promise<Page<T>>;
  /** Keeps what the account-wide walk found that matters here. */
  readonly keep: (item: T) => boolean;
}

export async function readScoped<T>(options: ScopedReadOptions<T>): Promise<T[]> {
  if (options.groups.length === 0) return [];
  const budget = options.groups.length - 1;
  const found: T[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < budget; pages++) {
    const page = await options.listAll(token);
    for (const item of page.items ?? []) if (options.keep(item)) found.push(item);
    token = page.nextToken || undefined;
    if (token === undefined) return found;
  }
  const groups = await options.perGroup();
  const settled = await settleWithConcurrency(groups, READ_CONCURRENCY, (group) =>
    paginateByToken((t) => options.listGroup(group, t)),
  );
  const out: T[] = [];
  for (const result of settled) {
    if (result.status === 'rejected') throw result.reason;
    out.push(...result.value);
  }
  return out;
}

export function reasonOf(error: unknown): string {
  // A DeadlineError's message says what it is; AWS's errors need their code (the name) in front.
  if (error instanceof Error)
    return error.name && error.name !== 'Error' && !(error instanceof DeadlineError)
      ? `${error.name}: ${error.message}`
      : error.message;
  return String(error);
}
