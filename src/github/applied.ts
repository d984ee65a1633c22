/**
 * After an apply on the default branch, the pull request that brought the commit hears what
 * happened to its plan (as tfcmt and dflook's terraform-apply do): its plan comment gets a status
 * line under the marker, "✅ Applied" or "❌ Apply failed", with the run's link, edited in place.
 * The pull request is found through the API (the commits/{sha}/pulls listing), not guessed from
 * the commit message. Nothing is posted when there is no such pull request or no plan comment.
 */
import type { GitHubApi, IssueComment } from './api.ts';
import { COMMENT_LIMIT } from './fit.ts';
import { code, escapeInline, sizeOf } from './markdown.ts';
import { runLink } from './report.ts';
import { findOwnComment, hasMarker } from './sticky.ts';

/** Ends the status line: how the next status finds (and replaces) it. Invisible when rendered. */
export const STATUS_MARK = '<!-- autoscale-gitops status -->';

export interface ApplyStatus {
  readonly ok: boolean;
  /** The apply's counts line (report.ts `applyCountsLine`), e.g. `Apply: 2 applied, 1 failed`. */
  readonly counts: string;
  readonly commit?: string;
  readonly runUrl?: string;
}

/** `**✅ Applied** in [workflow run](…) at commit `abc1234`: Apply: 2 applied <!-- … -->`. */
export function statusLine(status: ApplyStatus): string {
  const what = status.ok ? '**✅ Applied**' : '**❌ Apply failed**';
  const where = status.runUrl === undefined ? 'after the merge' : `in ${runLink(status.runUrl)}`;
  const commit = status.commit ? ` at commit ${code(status.commit.slice(0, 7))}` : '';
  return `${what} ${where}${commit}: ${escapeInline(status.counts)} ${STATUS_MARK}`;
}

/**
 * The comment with `status` on the line after its marker (and a blank line after it, so it is a
 * paragraph of its own); an earlier status line is replaced, not stacked.
 */
export function withStatus(body: string, mark: string, status: string): string {
  const lines = body.replace(/\r\n/g, '\n').split('\n');
  const at = lines.findIndex((l) => l.trim() === mark);
  if (at < 0) return body;
  let rest = lines.slice(at + 1);
  if (rest[0]?.trimEnd().endsWith(STATUS_MARK)) rest = rest.slice(rest[1] === '' ? 2 : 1);
  return [...lines.slice(0, at + 1), status, '', ...rest].join('\n');
}

export type MarkResult =
  | { readonly action: 'marked' | 'unchanged'; readonly pull: number; readonly comment: IssueComment }
  | { readonly action: 'none'; readonly why: string }
  | { readonly action: 'failed'; readonly error: unknown };

export interface MarkOptions {
  /** The commit applied (GITHUB_SHA of the push). */
  readonly sha: string;
  /** Only a pull request merged into this branch counts. */
  readonly base: string;
  readonly marker: string;
  readonly author: string;
  readonly status: ApplyStatus;
}

/** Marks the plan comment of the merged pull request that brought `sha`. Never throws. */
export async function markPullRequest(api: GitHubApi, options: MarkOptions): Promise<MarkResult> {
  try {
    const pulls = await api.pullRequestsOfCommit(options.sha);
    const merged = pulls.find((p) => p.mergedAt !== null && p.base === options.base);
    if (merged === undefined)
      return { action: 'none', why: `no pull request merged into ${options.base} brings this commit` };
    const comment = await findOwnComment(api, merged.number, options.marker, options.author);
    if (comment === undefined || !hasMarker(comment.body, options.marker))
      return { action: 'none', why: `pull request #${merged.number} has no plan comment` };
    const body = withStatus(comment.body, options.marker, statusLine(options.status));
    // Compared with the run links in: a re-run of the apply points the reader at its own run.
    if (body.trimEnd() === comment.body.replace(/\r\n/g, '\n').trimEnd())
      return { action: 'unchanged', pull: merged.number, comment };
    // The plan was fitted with a margin larger than a status line; a comment somebody else's
    // tooling grew past the limit is left as it is.
    if (sizeOf(body) > COMMENT_LIMIT) return { action: 'none', why: "the comment is at GitHub's size limit" };
    return {
      action: 'marked',
      pull: merged.number,
      comment: await api.updateIssueComment(comment.id, body),
    };
  } catch (error) {
    return { action: 'failed', error };
  }
}
