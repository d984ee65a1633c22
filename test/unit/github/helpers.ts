/** Plans built by hand and an in-memory GitHub for the github/ unit tests. */
import type {
  CommitPullRequest,
  GitHubApi,
  Issue,
  IssueChanges,
  IssueComment,
} from '../../../src/github/api.ts';
import type {
  BlockedChange,
  Change,
  ChangeAction,
  ChangeType,
  Fields,
  Plan,
  PlanMessage,
} from '../../../src/model.ts';
import { summarize } from '../../../src/plan/index.ts';

export function change(
  address: string,
  action: ChangeAction,
  options: {
    type?: ChangeType;
    before?: Fields | null;
    after?: Fields | null;
    reason?: string;
    file?: string;
    line?: number;
    extra?: Record<string, unknown>;
  } = {},
): Change {
  const id = address.split('/').at(-1) ?? address;
  return {
    address,
    type: options.type ?? 'autoscaling_group',
    action,
    id,
    file: options.file ?? `clusters/${address.split('/')[0]}.yml`,
    line: options.line ?? 3,
    before: options.before === undefined ? (action === 'create' ? null : { min: 1 }) : options.before,
    after: options.after === undefined ? (action === 'delete' ? null : { min: 2 }) : options.after,
    reason: options.reason ?? `${action} ${id}`,
    scope: { region: 'us-east-1' },
    dependsOn: [],
    operation: { kind: 'update_group', group: id, min: 2 },
    ...options.extra,
  } as Change;
}

export function planOf(
  changes: readonly Change[],
  more: { blocked?: BlockedChange[]; errors?: PlanMessage[]; warnings?: PlanMessage[] } = {},
): Plan {
  const blocked = more.blocked ?? [];
  return {
    changes,
    blocked,
    warnings: more.warnings ?? [],
    errors: more.errors ?? [],
    summary: summarize(changes, blocked.length),
  };
}

/** A comment as stored: mutable, with the issue it is on. */
export type StoredComment = { -readonly [K in keyof IssueComment]: IssueComment[K] } & { issue: number };

export interface Call {
  readonly name: string;
  readonly args: readonly unknown[];
}

/** A GitHubApi over arrays, recording each call; pages of `pageSize`. */
export class MemoryGitHub implements GitHubApi {
  readonly calls: Call[] = [];
  comments: StoredComment[] = [];
  issues: (Issue & { labels: string[] })[] = [];
  login: string | undefined;
  tokenLogin: string;
  pageSize: number;
  failWrites = false;
  /** Pull requests by a commit they bring. */
  pulls: (CommitPullRequest & { sha: string })[] = [];
  #nextId = 1;

  constructor(options: { login?: string; tokenLogin?: string; pageSize?: number } = {}) {
    this.login = options.login;
    this.tokenLogin = options.tokenLogin ?? 'github-actions[bot]';
    this.pageSize = options.pageSize ?? 100;
  }

  addComment(issue: number, author: string, body: string): IssueComment {
    const id = this.#nextId++;
    const made = { id, issue, author, body, url: `https://github.example/pull/${issue}#issuecomment-${id}` };
    this.comments.push(made);
    return made;
  }

  addIssue(author: string, title: string, body: string, labels: string[], state: 'open' | 'closed' = 'open') {
    const number = this.issues.length + 1;
    const made = {
      number,
      title,
      body,
      author,
      url: `https://github.example/issues/${number}`,
      state,
      labels,
    };
    this.issues.push(made);
    return made;
  }

  names(): string[] {
    return this.calls.map((c) => c.name);
  }

  async authenticatedLogin(): Promise<string | undefined> {
    this.calls.push({ name: 'authenticatedLogin', args: [] });
    return this.login;
  }

  async pullRequestsOfCommit(sha: string): Promise<readonly CommitPullRequest[]> {
    this.calls.push({ name: 'pullRequestsOfCommit', args: [sha] });
    return this.pulls.filter((p) => p.sha === sha).map(({ sha: _, ...pull }) => pull);
  }

  async defaultBranch(): Promise<string> {
    this.calls.push({ name: 'defaultBranch', args: [] });
    return 'main';
  }

  async *issueComments(issue: number): AsyncIterable<readonly IssueComment[]> {
    const all = this.comments.filter((c) => c.issue === issue);
    for (let i = 0; i === 0 || i < all.length; i += this.pageSize) {
      this.calls.push({ name: 'issueComments', args: [issue, i / this.pageSize + 1] });
      yield all.slice(i, i + this.pageSize);
    }
  }

  async createIssueComment(issue: number, body: string): Promise<IssueComment> {
    this.calls.push({ name: 'createIssueComment', args: [issue, body] });
    if (this.failWrites)
      throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
    return this.addComment(issue, this.tokenLogin, body);
  }

  async updateIssueComment(id: number, body: string): Promise<IssueComment> {
    this.calls.push({ name: 'updateIssueComment', args: [id, body] });
    if (this.failWrites)
      throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
    const found = this.comments.find((c) => c.id === id);
    if (found === undefined) throw Object.assign(new Error('Not Found'), { status: 404 });
    found.body = body;
    return found;
  }

  async *openIssues(label: string): AsyncIterable<readonly Issue[]> {
    this.calls.push({ name: 'openIssues', args: [label] });
    yield this.issues.filter((i) => i.state === 'open' && i.labels.includes(label));
  }

  async createIssue(title: string, body: string, labels: readonly string[]): Promise<Issue> {
    this.calls.push({ name: 'createIssue', args: [title, body, labels] });
    return this.addIssue(this.tokenLogin, title, body, [...labels]);
  }

  async updateIssue(issue: number, changes: IssueChanges): Promise<Issue> {
    this.calls.push({ name: 'updateIssue', args: [issue, changes] });
    const found = this.issues.find((i) => i.number === issue);
    if (found === undefined) throw Object.assign(new Error('Not Found'), { status: 404 });
    Object.assign(found, changes);
    return found;
  }
}
