/**
 * A fake GitHub REST API on node:http, for the Action's GitHub calls (@actions/github talks
 * through undici, which nock and msw do not see): point GITHUB_API_URL (or Octokit's baseUrl) at
 * `server.url`. It keeps issues, pull requests' and issues' comments in memory, pages lists like
 * GitHub (`per_page`, `page`, a `Link` header with absolute URLs), and records every request so a
 * test can assert exactly which calls were made.
 *
 * Served:
 *   GET    /user                                   login of the token, or 403 (installation token)
 *   GET    /repos/{o}/{r}                          default_branch
 *   GET    /repos/{o}/{r}/issues/{n}/comments      paged
 *   POST   /repos/{o}/{r}/issues/{n}/comments
 *   PATCH  /repos/{o}/{r}/issues/comments/{id}
 *   GET    /repos/{o}/{r}/issues                   state, labels; paged; pull requests included
 *   POST   /repos/{o}/{r}/issues
 *   PATCH  /repos/{o}/{r}/issues/{n}
 *   GET    /repos/{o}/{r}/commits/{sha}/pulls      pull requests whose `commits` hold the sha
 * Anything else: 404 (and recorded).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  created: number;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  login: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  labels: string[];
  pullRequest: boolean;
  /** A pull request's commits (its head, and its merge commit once merged). */
  commits: string[];
  /** When a pull request was merged, and into which branch. */
  mergedAt: string | null;
  base: string;
}

export interface FakeGitHubOptions {
  /** `owner/name` served (others answer 404). Default `acme/infra`. */
  readonly repository?: string;
  readonly defaultBranch?: string;
  /**
   * What GET /user answers: a login, or null for 403 "Resource not accessible by integration"
   * (what GITHUB_TOKEN gets). Default null.
   */
  readonly userLogin?: string | null;
  /** Who the token writes as (author of what it creates). Default `github-actions[bot]`. */
  readonly tokenLogin?: string;
  /** Writes answer 403, like a fork's pull request token. */
  readonly readOnly?: boolean;
  /** Largest page (GitHub: 100). */
  readonly maxPerPage?: number;
}

export interface FakeGitHub {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly comments: FakeComment[];
  readonly issues: FakeIssue[];
  /** Adds a comment by anybody (no request recorded). */
  addComment(issue: number, login: string, body: string): FakeComment;
  /** Adds an issue or a pull request (no request recorded). */
  addIssue(issue: Partial<FakeIssue> & { title: string }): FakeIssue;
  commentsOn(issue: number): FakeComment[];
  /** Requests that write (POST, PATCH, PUT, DELETE). */
  writes(): RecordedRequest[];
  /** Forgets the recorded requests (keeps the data). */
  clearRequests(): void;
  set(options: Partial<Pick<FakeGitHubOptions, 'userLogin' | 'tokenLogin' | 'readOnly'>>): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const repository = options.repository ?? 'acme/infra';
  const settings = {
    userLogin: options.userLogin === undefined ? null : options.userLogin,
    tokenLogin: options.tokenLogin ?? 'github-actions[bot]',
    readOnly: options.readOnly ?? false,
  };
  const maxPerPage = options.maxPerPage ?? 100;
  const requests: RecordedRequest[] = [];
  const comments: FakeComment[] = [];
  const issues: FakeIssue[] = [];
  let nextCommentId = 1000;
  let clock = 0;
  let url = '';

  const htmlBase = `https://github.example/${repository}`;
  const commentJson = (c: FakeComment) => ({
    id: c.id,
    body: c.body,
    user: { login: c.login, type: c.login.endsWith('[bot]') ? 'Bot' : 'User' },
    html_url: `${htmlBase}/${issues.find((i) => i.number === c.issue)?.pullRequest ? 'pull' : 'issues'}/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${url}/repos/${repository}/issues/${c.issue}`,
    created_at: new Date(Date.UTC(2030, 0, 1) + c.created * 1000).toISOString(),
  });
  const issueJson = (i: FakeIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body,
    user: { login: i.login },
    state: i.state,
    state_reason: i.stateReason,
    labels: i.labels.map((name) => ({ name })),
    html_url: `${htmlBase}/${i.pullRequest ? 'pull' : 'issues'}/${i.number}`,
    ...(i.pullRequest ? { pull_request: { url: `${url}/repos/${repository}/pulls/${i.number}` } } : {}),
  });

  function addIssue(issue: Partial<FakeIssue> & { title: string }): FakeIssue {
    const made: FakeIssue = {
      number: issue.number ?? Math.max(0, ...issues.map((i) => i.number)) + 1,
      title: issue.title,
      body: issue.body ?? '',
      login: issue.login ?? 'octocat',
      state: issue.state ?? 'open',
      stateReason: issue.stateReason ?? null,
      labels: issue.labels ?? [],
      pullRequest: issue.pullRequest ?? false,
      commits: issue.commits ?? [],
      mergedAt: issue.mergedAt ?? null,
      base: issue.base ?? 'main',
    };
    issues.push(made);
    return made;
  }

  function addComment(issue: number, login: string, body: string): FakeComment {
    const made = { id: nextCommentId++, issue, body, login, created: clock++ };
    comments.push(made);
    return made;
  }

  /** One page of `items` and the Link header GitHub would send. */
  function page<T>(
    items: readonly T[],
    query: Record<string, string>,
    path: string,
    res: ServerResponse,
  ): T[] {
    const perPage = Math.min(maxPerPage, Math.max(1, Number(query.per_page ?? 30) || 30));
    const pageNo = Math.max(1, Number(query.page ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const params = new URLSearchParams({ ...query, per_page: String(perPage), page: String(n) });
      return `<${url}${path}?${params}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (pageNo < last) links.push(link(pageNo + 1, 'next'), link(last, 'last'));
    if (pageNo > 1) links.push(link(1, 'first'), link(pageNo - 1, 'prev'));
    if (links.length > 0) res.setHeader('link', links.join(', '));
    return items.slice((pageNo - 1) * perPage, pageNo * perPage);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', 'http://localhost');
    const path = parsed.pathname.replace(/\/+$/, '') || '/';
    const query = Object.fromEntries(parsed.searchParams);
    const raw = await readBody(req);
    let body: unknown = null;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { message: 'Problems parsing JSON' });
      }
    }
    const method = req.method ?? 'GET';
    requests.push({ method, path, query, body, authorization: req.headers.authorization });
    if (!req.headers.authorization) return send(res, 401, { message: 'Requires authentication' });
    const input = (body ?? {}) as Record<string, unknown>;
    const forbidden = () => send(res, 403, { message: 'Resource not accessible by integration' });

    if (method === 'GET' && path === '/user') {
      return settings.userLogin === null
        ? forbidden()
        : send(res, 200, { login: settings.userLogin, type: 'User' });
    }
    const prefix = `/repos/${repository}`;
    if (!path.startsWith(prefix)) return send(res, 404, { message: 'Not Found' });
    const rest = path.slice(prefix.length);
    const isWrite = method !== 'GET';
    if (isWrite && settings.readOnly) return forbidden();

    if (method === 'GET' && rest === '') {
      return send(res, 200, { full_name: repository, default_branch: options.defaultBranch ?? 'main' });
    }
    let m = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (m) {
      const issue = Number(m[1]);
      if (method === 'GET') {
        const list = comments.filter((c) => c.issue === issue).sort((a, b) => a.created - b.created);
        return send(res, 200, page(list, query, path, res).map(commentJson));
      }
      if (method === 'POST') {
        if (typeof input.body !== 'string') return send(res, 422, { message: 'body is missing' });
        if (input.body.length > 65_536)
          return send(res, 422, { message: 'Body is too long (maximum is 65536 characters)' });
        return send(res, 201, commentJson(addComment(issue, settings.tokenLogin, input.body)));
      }
    }
    m = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (m && method === 'PATCH') {
      const found = comments.find((c) => c.id === Number(m?.[1]));
      if (found === undefined) return send(res, 404, { message: 'Not Found' });
      if (typeof input.body !== 'string') return send(res, 422, { message: 'body is missing' });
      if (input.body.length > 65_536)
        return send(res, 422, { message: 'Body is too long (maximum is 65536 characters)' });
      found.body = input.body;
      return send(res, 200, commentJson(found));
    }
    if (rest === '/issues') {
      if (method === 'GET') {
        const state = query.state ?? 'open';
        const labels = (query.labels ?? '').split(',').filter((l) => l.length > 0);
        const list = issues
          .filter((i) => state === 'all' || i.state === state)
          .filter((i) => labels.every((l) => i.labels.includes(l)))
          .sort((a, b) => b.number - a.number);
        return send(res, 200, page(list, query, path, res).map(issueJson));
      }
      if (method === 'POST') {
        if (typeof input.title !== 'string') return send(res, 422, { message: 'title is missing' });
        const made = addIssue({
          title: input.title,
          body: typeof input.body === 'string' ? input.body : '',
          login: settings.tokenLogin,
          labels: Array.isArray(input.labels) ? input.labels.map(String) : [],
        });
        return send(res, 201, issueJson(made));
      }
    }
    m = /^\/commits\/([0-9a-f]{7,40})\/pulls$/.exec(rest);
    if (m && method === 'GET') {
      const sha = m[1] ?? '';
      const pulls = issues.filter((i) => i.pullRequest && i.commits.includes(sha));
      return send(
        res,
        200,
        page(pulls, query, path, res).map((i) => ({
          number: i.number,
          state: i.state,
          title: i.title,
          merged_at: i.mergedAt,
          merge_commit_sha: i.mergedAt === null ? null : i.commits.at(-1),
          base: { ref: i.base },
          html_url: `${htmlBase}/pull/${i.number}`,
        })),
      );
    }
    m = /^\/issues\/(\d+)$/.exec(rest);
    if (m && method === 'PATCH') {
      const found = issues.find((i) => i.number === Number(m?.[1]));
      if (found === undefined) return send(res, 404, { message: 'Not Found' });
      if (typeof input.title === 'string') found.title = input.title;
      if (typeof input.body === 'string') found.body = input.body;
      if (input.state === 'open' || input.state === 'closed') found.state = input.state;
      if (typeof input.state_reason === 'string') found.stateReason = input.state_reason;
      return send(res, 200, issueJson(found));
    }
    return send(res, 404, { message: 'Not Found' });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    comments,
    issues,
    addComment,
    addIssue,
    commentsOn: (issue) => comments.filter((c) => c.issue === issue),
    writes: () => requests.filter((r) => r.method !== 'GET'),
    clearRequests: () => {
      requests.length = 0;
    },
    set(changes) {
      if (changes.userLogin !== undefined) settings.userLogin = changes.userLogin;
      if (changes.tokenLogin !== undefined) settings.tokenLogin = changes.tokenLogin;
      if (changes.readOnly !== undefined) settings.readOnly = changes.readOnly;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}
