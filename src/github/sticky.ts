/**
 * The sticky plan comment: one per config path (and `only` shard) on a pull request, found by a
 * hidden marker among the comments the token itself wrote, created once, edited in place, and
 * left alone when its text would not change (no edit, no notification, no "edited" churn).
 *
 * Whose comments count: the token's own login (GET /user) when the token may ask, else the login
 * GITHUB_TOKEN comments as (`github-actions[bot]`), or the `comment-author` input for a GitHub App
 * token. A comment by anybody else is never edited, even when it quotes the marker.
 */
import { ACTIONS_BOT, type GitHubApi, type IssueComment } from './api.ts';
import { COMMENT_LIMIT } from './fit.ts';
import { sizeOf } from './markdown.ts';
import { withoutRunLinks } from './report.ts';

const MARKER_PREFIX = '<!-- autoscale-gitops';

/** What identifies a comment (or an issue): the config path, and the `only` glob when sharded. */
export function markerKey(configDir: string, only?: string): string {
  const dir =
    configDir
      .replace(/\\/g, '/')
      .replace(/^(\.\/)+/, '')
      .replace(/\/+$/, '') || '.';
  return only ? `${dir} only=${only}` : dir;
}

/** `<!-- autoscale-gitops plan: clusters -->`: invisible in the rendered comment. */
export function marker(kind: 'plan' | 'failure', key: string): string {
  // `--` may not appear inside an HTML comment, and `>` could end it early in lenient parsers.
  const safe = key.replace(/-{2,}/g, (m) => m.split('').join(' ')).replace(/>/g, '&gt;');
  return `${MARKER_PREFIX} ${kind}: ${safe} -->`;
}

/** Whether `body` carries `mark` as a line of its own (not as a prefix of another key's marker). */
export function hasMarker(body: string, mark: string): boolean {
  return body.split(/\r?\n/).some((line) => line.trim() === mark);
}

/**
 * Line endings and trailing blanks are not changes (GitHub may store `\r\n`), nor is the link to
 * the run that wrote the comment: a re-run of the same plan leaves the comment as it is.
 */
export function sameBody(a: string, b: string): boolean {
  const norm = (s: string) => withoutRunLinks(s.replace(/\r\n/g, '\n').trimEnd());
  return norm(a) === norm(b);
}

/** The token's login, as far as it can be known. */
export async function resolveIdentity(api: GitHubApi, configured?: string): Promise<string> {
  if (configured) return configured;
  return (await api.authenticatedLogin()) ?? ACTIONS_BOT;
}

/** The first (oldest) comment by `author` that carries the marker. Stops reading at the first hit. */
export async function findOwnComment(
  api: GitHubApi,
  issue: number,
  mark: string,
  author: string,
): Promise<IssueComment | undefined> {
  for await (const page of api.issueComments(issue)) {
    const found = page.find((c) => sameLogin(c.author, author) && hasMarker(c.body, mark));
    if (found !== undefined) return found;
  }
  return undefined;
}

function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export type StickyResult =
  | { readonly action: 'created' | 'updated' | 'unchanged'; readonly comment: IssueComment }
  /** No comment yet, and none wanted (createIfMissing: false). */
  | { readonly action: 'skipped' }
  | { readonly action: 'failed'; readonly error: unknown };

export interface StickyOptions {
  readonly issue: number;
  /** From {@link marker}. */
  readonly marker: string;
  /** The comment's text without the marker (already fitted under the limit with the marker). */
  readonly body: string;
  readonly author: string;
  /** false: only an existing comment is updated; none is created (comment: changes-only). */
  readonly createIfMissing?: boolean;
}

/** The full body as posted: the marker on the first line, then the text. */
export function stickyBody(mark: string, body: string): string {
  return `${mark}\n${body}`;
}

/** Creates, updates or leaves the sticky comment. Never throws: a failure is returned. */
export async function upsertSticky(api: GitHubApi, options: StickyOptions): Promise<StickyResult> {
  const body = stickyBody(options.marker, options.body);
  if (sizeOf(body) > COMMENT_LIMIT) {
    return { action: 'failed', error: new Error(`comment of ${sizeOf(body)} bytes is over GitHub's limit`) };
  }
  try {
    const existing = await findOwnComment(api, options.issue, options.marker, options.author);
    if (existing === undefined) {
      if (options.createIfMissing === false) return { action: 'skipped' };
      return { action: 'created', comment: await api.createIssueComment(options.issue, body) };
    }
    if (sameBody(existing.body, body)) return { action: 'unchanged', comment: existing };
    return { action: 'updated', comment: await api.updateIssueComment(existing.id, body) };
  } catch (error) {
    return { action: 'failed', error };
  }
}
