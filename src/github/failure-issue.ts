/**
 * The failure issue (input `failure-issue`: a label): while scheduled applies fail, one open issue
 * with that label says what failed last; the next clean apply comments and closes it. The issue is
 * found by its label and a hidden marker among the token's own issues, like the sticky comment,
 * so a person's issue with the same label is never edited or closed.
 */
import type { GitHubApi, Issue } from './api.ts';
import { hasMarker, sameBody } from './sticky.ts';

export async function findOwnIssue(
  api: GitHubApi,
  label: string,
  mark: string,
  author: string,
): Promise<Issue | undefined> {
  for await (const page of api.openIssues(label)) {
    const found = page.find(
      (i) => i.author.toLowerCase() === author.toLowerCase() && hasMarker(i.body, mark),
    );
    if (found !== undefined) return found;
  }
  return undefined;
}

export type FailureIssueResult =
  | { readonly action: 'opened' | 'updated' | 'unchanged' | 'closed'; readonly issue: Issue }
  | { readonly action: 'none' }
  | { readonly action: 'failed'; readonly error: unknown };

export interface FailureIssueOptions {
  readonly label: string;
  readonly marker: string;
  readonly author: string;
}

/** After a failed run: open the issue, or put the latest failure in the open one. Never throws. */
export async function reportFailure(
  api: GitHubApi,
  options: FailureIssueOptions & { readonly title: string; readonly body: string },
): Promise<FailureIssueResult> {
  const body = `${options.marker}\n${options.body}`;
  try {
    const open = await findOwnIssue(api, options.label, options.marker, options.author);
    if (open === undefined) {
      return { action: 'opened', issue: await api.createIssue(options.title, body, [options.label]) };
    }
    if (sameBody(open.body, body) && open.title === options.title)
      return { action: 'unchanged', issue: open };
    return { action: 'updated', issue: await api.updateIssue(open.number, { title: options.title, body }) };
  } catch (error) {
    return { action: 'failed', error };
  }
}

/** After a clean run: say so on the open issue, then close it. Never throws. */
export async function reportRecovery(
  api: GitHubApi,
  options: FailureIssueOptions & { readonly comment: string },
): Promise<FailureIssueResult> {
  try {
    const open = await findOwnIssue(api, options.label, options.marker, options.author);
    if (open === undefined) return { action: 'none' };
    await api.createIssueComment(open.number, options.comment);
    return { action: 'closed', issue: await api.updateIssue(open.number, { state: 'closed' }) };
  } catch (error) {
    return { action: 'failed', error };
  }
}
