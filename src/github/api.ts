/**
 * The few GitHub REST calls the Action makes, behind an interface so the sticky-comment and
 * failure-issue logic can be tested without a server. {@link createGitHubApi} is the real one, on
 * @actions/github's Octokit (its fetch honours the runner's proxy settings); GITHUB_API_URL (or
 * `baseUrl`) chooses the server, so tests point it at a local fake.
 *
 * Every request is bounded ({@link GITHUB_TIMEOUT_MS}, the whole exchange, body included): Octokit
 * and undici wait for an answer as long as the connection stays open. GitHub itself gives up on a
 * REST request after 10 s, so a 30 s bound only ends waits that would never end.
 *
 * @actions/github (Octokit, undici) is loaded on the first call, not with this module: a run that
 * never talks to GitHub (validate, a plan without a pull request) does not load it at all.
 */
import type { getOctokit } from '@actions/github';

type Octokit = ReturnType<typeof getOctokit>;

export interface Repo {
  readonly owner: string;
  readonly repo: string;
}

export interface IssueComment {
  readonly id: number;
  readonly body: string;
  /** The login of the comment's author, e.g. `github-actions[bot]`. */
  readonly author: string;
  readonly url: string;
}

export interface Issue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly author: string;
  readonly url: string;
  readonly state: 'open' | 'closed';
}

/** A pull request a commit belongs to (GET /repos/{o}/{r}/commits/{sha}/pulls). */
export interface CommitPullRequest {
  readonly number: number;
  /** When it was merged; null while open or when closed unmerged. */
  readonly mergedAt: string | null;
  /** The branch it was merged into. */
  readonly base: string;
}

export interface IssueChanges {
  readonly title?: string;
  readonly body?: string;
  readonly state?: 'open' | 'closed';
}

export interface GitHubApi {
  /** The token's login (GET /user); undefined when the token may not ask (installation tokens: 403). */
  authenticatedLogin(): Promise<string | undefined>;
  defaultBranch(): Promise<string>;
  /** The comments of an issue or pull request, oldest first, a page at a time. */
  issueComments(issue: number): AsyncIterable<readonly IssueComment[]>;
  createIssueComment(issue: number, body: string): Promise<IssueComment>;
  updateIssueComment(id: number, body: string): Promise<IssueComment>;
  /** Open issues (pull requests left out) with a label, a page at a time. */
  openIssues(label: string): AsyncIterable<readonly Issue[]>;
  createIssue(title: string, body: string, labels: readonly string[]): Promise<Issue>;
  updateIssue(issue: number, changes: IssueChanges): Promise<Issue>;
  /** The pull requests that bring `sha` (merged ones: the commit is its merge or one of its commits). */
  pullRequestsOfCommit(sha: string): Promise<readonly CommitPullRequest[]>;
}

/** Who comments with the workflow's GITHUB_TOKEN (GET /user answers 403 for that token). */
export const ACTIONS_BOT = 'github-actions[bot]';

/** Most time one GitHub request may take (each page of a listing is one request). */
export const GITHUB_TIMEOUT_MS = 30_000;

/** The largest page GitHub serves: fewest calls when looking through a long thread. */
export const PER_PAGE = 100;

/** The HTTP status of a failed GitHub call, when it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A one-line reason for a failed call, without the request (its headers hold the token). */
export function githubErrorText(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return status === undefined ? (message ?? 'unknown error') : `HTTP ${status}: ${message}`;
}

interface RawUser {
  readonly login?: string;
}

interface RawComment {
  readonly id: number;
  readonly body?: string | null;
  readonly user?: RawUser | null;
  readonly html_url: string;
}

interface RawIssue {
  readonly number: number;
  readonly title: string;
  readonly body?: string | null;
  readonly user?: RawUser | null;
  readonly html_url: string;
  readonly state: string;
  readonly pull_request?: unknown;
}

interface RawPull {
  readonly number: number;
  readonly merged_at?: string | null;
  readonly base?: { readonly ref?: string } | null;
}

function toComment(raw: RawComment): IssueComment {
  return { id: raw.id, body: raw.body ?? '', author: raw.user?.login ?? '', url: raw.html_url };
}

function toIssue(raw: RawIssue): Issue {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? '',
    author: raw.user?.login ?? '',
    url: raw.html_url,
    state: raw.state === 'closed' ? 'closed' : 'open',
  };
}

export interface GitHubApiOptions {
  readonly baseUrl?: string;
  /** Per request; default {@link GITHUB_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Ends every request early (e.g. the run's deadline). */
  readonly signal?: AbortSignal;
}

/** An Octokit whose every request is bounded by `options` (timeout, signal). */
async function connect(token: string, options: GitHubApiOptions): Promise<Octokit> {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(token, options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl });
  const timeoutMs = options.timeoutMs ?? GITHUB_TIMEOUT_MS;
  // A hook wrapping the request's fetch. Not `request: { signal }` in the constructor options:
  // those would replace (not merge with) @actions/github's request defaults, its proxy-aware fetch
  // among them. The options are changed in place: the inner hooks (the token's) are bound to this
  // very object and ignore any other passed to them.
  octokit.hook.wrap('request', async (request, requestOptions) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
    const send = (requestOptions.request?.fetch as typeof fetch | undefined) ?? fetch;
    const bounded: typeof fetch = (input, init) =>
      send(input, { ...init, signal: init?.signal ? AbortSignal.any([signal, init.signal]) : signal });
    requestOptions.request = { ...requestOptions.request, fetch: bounded };
    try {
      return await request(requestOptions);
    } catch (error) {
      const what = `GitHub ${requestOptions.method} ${String(requestOptions.url).split('?')[0]}`;
      if (timeout.aborted)
        throw new Error(`${what}: no answer within ${timeoutMs / 1000} s`, { cause: error });
      if (options.signal?.aborted) throw new Error(`${what}: aborted`, { cause: error });
      throw error;
    }
  });
  return octokit;
}

export function createGitHubApi(token: string, repo: Repo, options: GitHubApiOptions = {}): GitHubApi {
  let connected: Promise<Octokit> | undefined;
  const client = (): Promise<Octokit> => {
    connected ??= connect(token, options);
    return connected;
  };
  const { owner, repo: name } = repo;
  return {
    async authenticatedLogin() {
      const octokit = await client();
      try {
        const { data } = await octokit.rest.users.getAuthenticated();
        return data.login;
      } catch (error) {
        const status = statusOf(error);
        if (status === 401 || status === 403 || status === 404) return undefined;
        throw error;
      }
    },
    async defaultBranch() {
      const octokit = await client();
      const { data } = await octokit.rest.repos.get({ owner, repo: name });
      return data.default_branch;
    },
    async *issueComments(issue) {
      const octokit = await client();
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
        owner,
        repo: name,
        issue_number: issue,
        per_page: PER_PAGE,
      });
      for await (const page of pages) yield (page.data as RawComment[]).map(toComment);
    },
    async createIssueComment(issue, body) {
      const octokit = await client();
      const { data } = await octokit.rest.issues.createComment({
        owner,
        repo: name,
        issue_number: issue,
        body,
      });
      return toComment(data as RawComment);
    },
    async updateIssueComment(id, body) {
      const octokit = await client();
      const { data } = await octokit.rest.issues.updateComment({ owner, repo: name, comment_id: id, body });
      return toComment(data as RawComment);
    },
    async *openIssues(label) {
      const octokit = await client();
      const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
        owner,
        repo: name,
        state: 'open',
        labels: label,
        per_page: PER_PAGE,
      });
      for await (const page of pages) {
        yield (page.data as RawIssue[]).filter((i) => i.pull_request === undefined).map(toIssue);
      }
    },
    async createIssue(title, body, labels) {
      const octokit = await client();
      const { data } = await octokit.rest.issues.create({
        owner,
        repo: name,
        title,
        body,
        labels: [...labels],
      });
      return toIssue(data as RawIssue);
    },
    async pullRequestsOfCommit(sha) {
      const octokit = await client();
      const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        owner,
        repo: name,
        commit_sha: sha,
        per_page: PER_PAGE,
      });
      return (data as RawPull[]).map((p) => ({
        number: p.number,
        mergedAt: p.merged_at ?? null,
        base: p.base?.ref ?? '',
      }));
    },
    async updateIssue(issue, changes) {
      const octokit = await client();
      const { data } = await octokit.rest.issues.update({
        owner,
        repo: name,
        issue_number: issue,
        ...(changes.title === undefined ? {} : { title: changes.title }),
        ...(changes.body === undefined ? {} : { body: changes.body }),
        ...(changes.state === undefined ? {} : { state: changes.state }),
        ...(changes.state === 'closed' ? { state_reason: 'completed' as const } : {}),
      });
      return toIssue(data as RawIssue);
    },
  };
}
