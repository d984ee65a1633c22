/**
 * The GitHub Action shell: inputs and event → pipeline → log, annotations, job summary, sticky
 * pull request comment, outputs, failure issue. Everything it decides is in src/github/ (pure
 * where it can be); everything it computes is the pipeline's. Every string that leaves here
 * (log, annotation, summary, comment, issue, output, plan file) goes through `hide` first.
 *
 *   mode auto:  pull_request, pull_request_target → validate, plan, comment
 *               schedule, push to the default branch, workflow_dispatch → apply (ref guard first)
 *               push to another branch, other events → plan
 *   a fork's pull request, or no AWS credentials on a pull request: validated, not planned
 *
 * What only planning and applying need (the pipeline with the AWS SDK, the planners, the AWS
 * credential chain) is imported when a run gets there: validate loads none of it, and neither
 * does a pull request without credentials. The GitHub client loads on its first call (api.ts).
 */
import * as core from '@actions/core';
import { type Diagnostic, formatDiagnostic, hasErrors } from './config/diagnostics.ts';
import { loadConfig } from './config/index.ts';
import { parseDuration } from './config/semantic.ts';
import { DEFAULT_TIMEOUT_SECONDS, RunDeadline } from './deadline.ts';
import { type AnnotationCount, annotate } from './github/annotations.ts';
import { createGitHubApi, type GitHubApi, githubErrorText, statusOf } from './github/api.ts';
import { markPullRequest } from './github/applied.ts';
import { renderComment, reportContext } from './github/comment.ts';
import {
  branchOf,
  type ConcreteMode,
  checkApplyRef,
  MODES,
  type Mode,
  PULL_REQUEST_EVENTS,
  parsePatterns,
  type RunEvent,
  readEvent,
  readPayload,
  resolveMode,
} from './github/event.ts';
import { reportFailure, reportRecovery } from './github/failure-issue.ts';
import { COMMENT_LIMIT, fitDocument, SUMMARY_LIMIT } from './github/fit.ts';
import { code, sizeOf } from './github/markdown.ts';
import { planJsonPath, writePlanJson } from './github/outputs.ts';
import { redactDeep } from './github/redact.ts';
import {
  applyCountsLine,
  buildDocument,
  commentCutNote,
  type Outcome,
  outcomeLine,
  type ReportContext,
  summaryCutNote,
} from './github/report.ts';
import { marker, markerKey, resolveIdentity, upsertSticky } from './github/sticky.ts';
import type { ApplyReport, Plan } from './model.ts';
import { renderJson, renderText } from './render/index.ts';
import { messageText } from './render/text.ts';
import { isShortSecret, Masker, MIN_SECRET_LENGTH, secretVariants } from './secrets.ts';
import { VERSION } from './version.ts';

export type { Mode } from './github/event.ts';

interface Inputs {
  readonly config: string;
  readonly mode: Mode;
  readonly token: string;
  /** on: always; changes-only: not when the plan is empty (an existing comment is still kept true). */
  readonly comment: 'on' | 'off' | 'changes-only';
  readonly region: string | undefined;
  readonly only: string | undefined;
  readonly allowApplyOn: readonly string[];
  readonly failureIssue: string | undefined;
  readonly commentAuthor: string | undefined;
  /** Seconds the whole run may take before it starts no more work (deadline.ts). */
  readonly timeoutSeconds: number;
  /** Where task sizes are kept between runs (the workflow restores it with actions/cache). */
  readonly cacheDir: string | undefined;
}

class InputError extends Error {}

function readInputs(): Inputs {
  const mode = (core.getInput('mode') || 'auto') as Mode;
  if (!MODES.includes(mode))
    throw new InputError(`input "mode" must be auto, validate, plan or apply, not "${mode}"`);
  return {
    config: core.getInput('config') || 'clusters',
    mode,
    token: core.getInput('github-token'),
    comment: commentInput(),
    region: core.getInput('region') || undefined,
    only: core.getInput('only') || undefined,
    allowApplyOn: allowApplyOnInput(),
    failureIssue: core.getInput('failure-issue') || undefined,
    commentAuthor: core.getInput('comment-author') || undefined,
    timeoutSeconds: timeoutInput(),
    cacheDir: core.getInput('cache-dir') || undefined,
  };
}

function allowApplyOnInput(): string[] {
  try {
    return parsePatterns(core.getInput('allow-apply-on'));
  } catch (error) {
    throw new InputError(`input "allow-apply-on": ${(error as Error).message}`);
  }
}

function timeoutInput(): number {
  const value = core.getInput('timeout').trim();
  if (value === '') return DEFAULT_TIMEOUT_SECONDS;
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds <= 0)
    throw new InputError(
      `input "timeout" must be a positive duration such as 90s, 10m or 1h, not "${value}"`,
    );
  return seconds;
}

function commentInput(): Inputs['comment'] {
  if (core.getInput('comment').trim().toLowerCase() === 'changes-only') return 'changes-only';
  try {
    return booleanInput('comment', true) ? 'on' : 'off';
  } catch {
    throw new InputError(
      `input "comment" must be true, false or changes-only, not "${core.getInput('comment')}"`,
    );
  }
}

function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).toLowerCase();
  if (value === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(value)) return true;
  if (['false', 'no', 'off', '0'].includes(value)) return false;
  throw new InputError(`input "${name}" must be true or false, not "${value}"`);
}

/**
 * The run's secrets and the one function every outgoing string passes through. The runner masks
 * the raw log with each form the secret can take (secretVariants); a secret too short to mask
 * inside words is left to our own whole-token masking, with a warning (see MIN_SECRET_LENGTH).
 */
class Secrets {
  readonly #values = new Set<string>();
  #masker = new Masker([]);

  add(values: Iterable<string>): void {
    let added = false;
    for (const value of values) {
      if (value.length === 0 || this.#values.has(value)) continue;
      this.#values.add(value);
      added = true;
      if (isShortSecret(value)) {
        core.warning(
          `a secret value is shorter than ${MIN_SECRET_LENGTH} characters: too short to mask inside words, ` +
            'it is masked only where it stands alone. Use a longer secret.',
        );
        continue;
      }
      for (const form of secretVariants(value)) if (!isShortSecret(form)) core.setSecret(form);
    }
    if (added) this.#masker = new Masker(this.#values);
  }

  hide = (text: string): string => this.#masker.hide(text);
}

/** GitHub access made on first use: runs without a token or a repository never call GitHub. */
class GitHub {
  #api: GitHubApi | undefined;
  #identity: Promise<string> | undefined;

  readonly token: string;
  readonly event: RunEvent;
  readonly configuredAuthor: string | undefined;

  constructor(token: string, event: RunEvent, configuredAuthor: string | undefined) {
    this.token = token;
    this.event = event;
    this.configuredAuthor = configuredAuthor;
  }

  get available(): boolean {
    return this.token !== '' && this.event.repo !== undefined;
  }

  get api(): GitHubApi {
    if (this.event.repo === undefined) throw new Error('GITHUB_REPOSITORY is not set');
    this.#api ??= createGitHubApi(this.token, this.event.repo);
    return this.#api;
  }

  identity(): Promise<string> {
    this.#identity ??= resolveIdentity(this.api, this.configuredAuthor);
    return this.#identity;
  }
}

interface Run {
  readonly inputs: Inputs;
  /** Started with the run: AWS work past it is not begun; reporting to GitHub still happens. */
  readonly deadline: RunDeadline;
  readonly event: RunEvent;
  readonly mode: ConcreteMode;
  readonly key: string;
  readonly context: ReportContext;
  readonly secrets: Secrets;
  readonly github: GitHub;
  /** Step outputs, written once when the run ends (a value set twice would be ambiguous). */
  readonly outputs: Outputs;
  /** Diagnostics already logged and annotated (the pipeline reports the config's again). */
  readonly shown: Set<string>;
  /** Annotations emitted, per severity, against GitHub's per-step cap. */
  readonly annotated: AnnotationCount;
  /** Diagnostics left out of the annotations (GitHub's cap): they are in the summary. */
  omitted: number;
}

interface Outputs {
  'has-changes': string;
  changes: string;
  'plan-json': string;
  'comment-url': string;
}

export async function run(): Promise<void> {
  const secrets = new Secrets();
  const hide = secrets.hide;
  let state: Run | undefined;
  /** Set once apply is past the ref guard: from then on a failure is reported in the failure issue. */
  let applyGuarded = false;
  try {
    const inputs = readInputs();
    secrets.add([inputs.token]);
    const event = readEvent(process.env, readPayload(process.env.GITHUB_EVENT_PATH));
    const resolved = resolveMode(inputs.mode, event);
    const key = markerKey(inputs.config, inputs.only);
    state = {
      inputs,
      deadline: new RunDeadline(inputs.timeoutSeconds),
      event,
      mode: resolved.mode,
      key,
      context: reportContext(event, key),
      secrets,
      github: new GitHub(inputs.token, event, inputs.commentAuthor),
      outputs: { 'has-changes': 'false', changes: '0', 'plan-json': '', 'comment-url': '' },
      shown: new Set(),
      annotated: { error: 0, warning: 0 },
      omitted: 0,
    };
    core.info(hide(`autoscale-gitops ${VERSION}: ${resolved.why}; config ${key}`));

    // Configuration first: nothing reaches AWS (or GitHub) before every file is valid.
    const loaded = await loadConfig(inputs.config, {
      env: process.env,
      ...(inputs.only === undefined ? {} : { only: inputs.only }),
      ...(inputs.region === undefined ? {} : { region: inputs.region }),
    });
    secrets.add(loaded.secrets);
    reportDiagnostics(state, loaded.diagnostics);
    if (hasErrors(loaded.diagnostics)) {
      await finish(state, { kind: 'invalid', diagnostics: loaded.diagnostics });
      core.setFailed(invalidMessage(state));
      return;
    }
    core.info(`${loaded.files.length} configuration file(s) valid in ${inputs.config}`);
    const warnings = loaded.diagnostics;

    if (state.mode === 'validate') {
      await finish(state, { kind: 'valid', files: loaded.files.length, diagnostics: warnings });
      return;
    }

    if (state.mode === 'plan') {
      // The configuration is valid but cannot be planned here: say why, in the summary and comment.
      const current = state;
      const skipPlan = (title: string, why: string) =>
        finish(current, { kind: 'skipped', title, why, files: loaded.files.length, diagnostics: warnings });
      const pr = event.pullRequest;
      if (pr?.fromFork) {
        const why =
          `This pull request comes from a fork (${pr.headRepo ?? 'a deleted repository'}). Its workflow runs get no ` +
          'AWS credentials or secrets and a read-only token, so the configuration was validated but not planned ' +
          'against AWS. A maintainer can push the branch to this repository to get a plan.';
        core.notice(hide(why));
        await skipPlan('Plan skipped: pull request from a fork. Configuration valid.', why);
        return;
      }
      const credentials = await awsCredentials();
      if (!credentials.ok) {
        const why =
          `No AWS credentials are available to this job (${credentials.reason}), so the configuration was ` +
          'validated but not planned. Give the job credentials (e.g. aws-actions/configure-aws-credentials with ' +
          'OIDC) before this step; pull requests from Dependabot and from forks get none.';
        core.warning(hide(why));
        await skipPlan('Plan skipped: no AWS credentials. Configuration valid.', why);
        return;
      }
      await planStep(state);
      return;
    }

    // Apply: only where reviewed code lives.
    const defaultBranch = await defaultBranchFor(state);
    const guard = checkApplyRef(event, defaultBranch, inputs.allowApplyOn);
    if (!guard.allowed) {
      await finish(state, { kind: 'stopped', title: 'Apply refused.', why: guard.why });
      core.setFailed(hide(guard.why));
      return;
    }
    core.info(hide(`apply allowed: ${guard.why}`));
    applyGuarded = true;
    const credentials = await awsCredentials();
    if (!credentials.ok) {
      const why =
        `No AWS credentials are available to this job (${credentials.reason}). Give the job credentials ` +
        '(e.g. aws-actions/configure-aws-credentials with OIDC) before this step.';
      await finish(state, { kind: 'stopped', title: 'Apply failed: no AWS credentials.', why });
      await failureIssue(state, { kind: 'stopped', title: 'Apply failed: no AWS credentials.', why }, false);
      core.setFailed(hide(why));
      return;
    }
    await applyStep(state);
  } catch (error) {
    const message = hide(error instanceof Error ? error.message : String(error));
    if (error instanceof Error && !(error instanceof InputError)) core.debug(hide(error.stack ?? ''));
    if (state !== undefined && applyGuarded) {
      await failureIssue(state, { kind: 'stopped', title: 'Apply failed.', why: message }, false).catch(
        () => {},
      );
    }
    core.setFailed(message);
  } finally {
    if (state !== undefined) writeOutputs(state.outputs, hide);
  }
}

/** The AWS credential chain's verdict; the chain (the SDK's providers) loads only here. */
async function awsCredentials() {
  const { checkAwsCredentials } = await import('./github/credentials.ts');
  return checkAwsCredentials();
}

/** The pipeline (AWS SDK, observers, planners, apply) and the plan's helpers, loaded to plan. */
async function pipeline() {
  const [stages, { hasChanges }] = await Promise.all([import('./pipeline.ts'), import('./plan/index.ts')]);
  return { ...stages, hasChanges };
}

function writeOutputs(outputs: Outputs, hide: (text: string) => string): void {
  try {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, hide(value));
  } catch (error) {
    // GITHUB_OUTPUT names a file the runner creates; outside a runner it may be missing.
    core.warning(
      hide(`could not write the step outputs: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

function invalidMessage(state: Run): string {
  const more = state.omitted > 0 ? ` (${state.omitted} more in the job summary)` : '';
  return `configuration in ${state.inputs.config} is invalid${more}`;
}

/**
 * The payload's `repository.default_branch`; on a schedule the ref IS the default branch (GitHub
 * runs schedules there only); else ask GitHub. Undefined when nobody can say: apply then needs
 * `allow-apply-on`.
 */
async function defaultBranchFor(state: Run): Promise<string | undefined> {
  const { event, github } = state;
  const hide = state.secrets.hide;
  if (event.defaultBranch !== undefined) return event.defaultBranch;
  if (event.name === 'schedule' && branchOf(event.ref) !== undefined) return branchOf(event.ref);
  if (!github.available) return undefined;
  try {
    return await github.api.defaultBranch();
  } catch (error) {
    core.warning(hide(`could not read the repository's default branch: ${githubErrorText(error)}`));
    return undefined;
  }
}

async function planStep(state: Run): Promise<void> {
  // A pull request's YAML is not reviewed yet: its plan runs no command the YAML names.
  const unreviewed = PULL_REQUEST_EVENTS.has(state.event.name);
  const { runPlan, planExitCode, hasChanges } = await pipeline();
  const result = await runPlan({ ...pipelineOptions(state), unreviewed });
  state.secrets.add(result.secrets);
  reportDiagnostics(state, result.diagnostics);
  if (result.plan === null) {
    await finish(state, { kind: 'invalid', diagnostics: result.diagnostics });
    core.setFailed(invalidMessage(state));
    return;
  }
  const plan = redactDeep(result.plan, state.secrets.hide);
  logPlan(state, plan);
  const planJson = await savePlan(state, plan);
  setPlanOutputs(state, plan, planJson, hasChanges(plan));
  await finish(state, { kind: 'plan', plan, diagnostics: warningsOf(result.diagnostics) });
  if (planExitCode(result, false) !== 0)
    core.setFailed(state.secrets.hide(`the plan has ${plan.errors.length} error(s)${firstError(plan)}`));
}

async function applyStep(state: Run): Promise<void> {
  const { runApply, applyExitCode, hasChanges } = await pipeline();
  const result = await runApply(pipelineOptions(state));
  state.secrets.add(result.secrets);
  reportDiagnostics(state, result.diagnostics);
  if (result.plan === null || result.report === null) {
    const outcome: Outcome = { kind: 'invalid', diagnostics: result.diagnostics };
    await finish(state, outcome);
    await failureIssue(state, outcome, false);
    core.setFailed(invalidMessage(state));
    return;
  }
  const report = redactDeep(result.report, state.secrets.hide);
  const plan = report.plan;
  logPlan(state, plan, report);
  const planJson = await savePlan(state, plan, report);
  setPlanOutputs(state, plan, planJson, hasChanges(plan));
  const outcome: Outcome = { kind: 'apply', plan, report, diagnostics: warningsOf(result.diagnostics) };
  await finish(state, outcome);
  const ok = applyExitCode(result) === 0;
  await failureIssue(state, outcome, ok);
  await markPullRequestComment(state, report, ok);
  if (!ok) {
    const parts = [
      ...(report.failed > 0 ? [`${report.failed} change(s) failed`] : []),
      ...(report.skipped > 0 ? [`${report.skipped} skipped`] : []),
      ...(plan.blocked.length > 0 ? [`${plan.blocked.length} blocked by a guard`] : []),
      ...(plan.errors.length > 0 ? [`${plan.errors.length} error(s) in the plan`] : []),
    ];
    core.setFailed(state.secrets.hide(`apply did not complete: ${parts.join(', ')}${firstError(plan)}`));
  }
}

/**
 * The plan's first error (a registry that answered 401, a read AWS refused), for the step's
 * failure line: the annotation a reader sees first. All of them are in the log and the summary.
 */
function firstError(plan: Plan): string {
  const [first] = plan.errors;
  if (first === undefined) return '';
  const more = plan.errors.length > 1 ? ` (and ${plan.errors.length - 1} more: see the job summary)` : '';
  return `. ${messageText(first)}${more}`;
}

function pipelineOptions({ inputs, deadline }: Run) {
  return {
    configDir: inputs.config,
    deadline,
    env: process.env,
    ...(inputs.only === undefined ? {} : { only: inputs.only }),
    ...(inputs.region === undefined ? {} : { region: inputs.region }),
    ...(inputs.cacheDir === undefined ? {} : { cacheDir: inputs.cacheDir }),
  };
}

function warningsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'warning');
}

/** Each diagnostic once in the log and (up to GitHub's cap) as an annotation. */
function reportDiagnostics(state: Run, diagnostics: readonly Diagnostic[]): void {
  const hide = state.secrets.hide;
  const fresh = diagnostics.filter((d) => !state.shown.has(formatDiagnostic(d)));
  for (const d of fresh) {
    state.shown.add(formatDiagnostic(d));
    core.info(hide(formatDiagnostic(d)));
  }
  const omitted = annotate(fresh, core, hide, state.annotated);
  state.omitted += omitted;
  if (omitted > 0)
    core.info(`${omitted} more problem(s) than GitHub shows as annotations: all are in the job summary`);
}

/** The plan as the CLI prints it, folded in the log under its counts line. */
function logPlan(state: Run, plan: Plan, report?: ApplyReport): void {
  const [first = '', ...rest] = renderText(plan, report).trimEnd().split('\n');
  core.startGroup(state.secrets.hide(first));
  for (const line of rest) core.info(state.secrets.hide(line));
  core.endGroup();
}

async function savePlan(state: Run, plan: Plan, report?: ApplyReport): Promise<string> {
  const path = planJsonPath(process.env, state.key);
  await writePlanJson(path, state.secrets.hide(renderJson(plan, report)));
  return path;
}

function setPlanOutputs(state: Run, plan: Plan, planJson: string, changes: boolean): void {
  state.outputs['has-changes'] = changes ? 'true' : 'false';
  state.outputs.changes = String(plan.changes.length);
  state.outputs['plan-json'] = planJson;
}

/** The outcome in the log, the job summary, and (plan mode, pull requests) the sticky comment. */
async function finish(state: Run, outcome: Outcome): Promise<void> {
  const hide = state.secrets.hide;
  core.info(hide(outcomeLine(outcome)));
  const doc = buildDocument(redactDeep(outcome, hide), state.context);
  const summary = fitDocument(doc, { limit: SUMMARY_LIMIT, note: summaryCutNote });
  try {
    await core.summary.addRaw(hide(summary.markdown)).write();
  } catch (error) {
    core.info(hide(`no job summary written: ${error instanceof Error ? error.message : String(error)}`));
  }
  if (state.mode === 'plan') await comment(state, redactDeep(outcome, hide));
}

async function comment(state: Run, outcome: Outcome): Promise<void> {
  const { event, inputs, github } = state;
  const hide = state.secrets.hide;
  const pr = event.pullRequest;
  if (inputs.comment === 'off' || pr === undefined) return;
  if (!github.available) {
    core.warning('no plan comment: the github-token input is empty');
    return;
  }
  const { marker: mark, text, fitted } = renderComment(outcome, state.context);
  const quiet = inputs.comment === 'changes-only' && isEmptyPlan(outcome);
  if (fitted.omitted.sections > 0) {
    core.info(`the plan comment shows ${fitted.shown} of ${fitted.shown + fitted.omitted.sections} sections`);
  }
  let author: string;
  try {
    author = await github.identity();
  } catch (error) {
    core.warning(hide(`could not post the plan comment: ${githubErrorText(error)}`));
    return;
  }
  const result = await upsertSticky(github.api, {
    issue: pr.number,
    marker: mark,
    body: hide(text),
    author,
    // changes-only: no new comment for an empty plan, but one posted before is brought up to
    // date, or it would go on showing changes that are no longer planned (dflook's behaviour).
    ...(quiet ? { createIfMissing: false } : {}),
  });
  if (result.action === 'failed') {
    const status = statusOf(result.error);
    const hint =
      status === 403 || status === 404
        ? pr.fromFork
          ? " (a fork's pull request gets a read-only token)"
          : ' (the job needs `permissions: pull-requests: write`)'
        : '';
    core.warning(hide(`could not post the plan comment: ${githubErrorText(result.error)}${hint}`));
    return;
  }
  if (result.action === 'skipped') {
    core.info('no plan comment: the plan is empty and the comment input is changes-only');
    return;
  }
  core.info(hide(`plan comment ${result.action}: ${result.comment.url}`));
  const wrote = result.comment.author;
  if (result.action === 'created' && wrote !== '' && wrote.toLowerCase() !== author.toLowerCase()) {
    // Next run would look for `author`'s comments and post another one: say how to fix it.
    core.warning(
      hide(
        `the plan comment was written as ${wrote}, not ${author}: set the comment-author input to ${wrote}`,
      ),
    );
  }
  state.outputs['comment-url'] = result.comment.url;
}

/** Nothing to review: no change, nothing blocked, no error (what `comment: changes-only` skips). */
function isEmptyPlan(outcome: Outcome): boolean {
  return (
    outcome.kind === 'plan' &&
    outcome.plan.changes.length === 0 &&
    outcome.plan.blocked.length === 0 &&
    outcome.plan.errors.length === 0
  );
}

/**
 * After an apply on a push to the default branch: the merged pull request that brought the commit
 * gets its plan comment marked applied or failed, with this run's link (applied.ts).
 */
async function markPullRequestComment(state: Run, report: ApplyReport, ok: boolean): Promise<void> {
  const { event, inputs, github } = state;
  const hide = state.secrets.hide;
  if (event.name !== 'push' || inputs.comment === 'off' || !github.available || event.sha === '') return;
  const base = branchOf(event.ref);
  if (base === undefined) return;
  try {
    const result = await markPullRequest(github.api, {
      sha: event.sha,
      base,
      marker: marker('plan', state.key),
      author: await github.identity(),
      status: {
        ok,
        counts: hide(applyCountsLine(report)),
        commit: event.sha,
        ...(event.runUrl === undefined ? {} : { runUrl: event.runUrl }),
      },
    });
    if (result.action === 'failed') {
      core.warning(
        hide(
          `could not mark the pull request's plan comment: ${githubErrorText(result.error)} (the job needs \`permissions: pull-requests: write\`)`,
        ),
      );
    } else if (result.action === 'none') {
      core.info(hide(`no pull request comment marked: ${result.why}`));
    } else {
      core.info(hide(`plan comment of pull request #${result.pull} ${result.action}: ${result.comment.url}`));
    }
  } catch (error) {
    core.warning(hide(`could not mark the pull request's plan comment: ${githubErrorText(error)}`));
  }
}

/** Keeps the failure issue (input `failure-issue`) in line with this apply's outcome. */
async function failureIssue(state: Run, outcome: Outcome, ok: boolean): Promise<void> {
  const label = state.inputs.failureIssue;
  if (label === undefined) return;
  const { github, event, key } = state;
  const hide = state.secrets.hide;
  if (!github.available) {
    core.warning('failure-issue is set but the github-token input is empty');
    return;
  }
  try {
    const author = await github.identity();
    const mark = marker('failure', key);
    const run = event.runUrl === undefined ? 'this run' : `[this run](${event.runUrl})`;
    const commit = state.context.commit ? ` at commit \`${state.context.commit.slice(0, 7)}\`` : '';
    if (ok) {
      const result = await reportRecovery(github.api, {
        label,
        marker: mark,
        author,
        comment: `✅ Apply succeeded again in ${run}${commit}. Closing.`,
      });
      if (result.action === 'closed') core.info(hide(`failure issue closed: ${result.issue.url}`));
      if (result.action === 'failed')
        core.warning(hide(`could not close the failure issue: ${githubErrorText(result.error)}`));
      return;
    }
    const lead = `Scheduled apply for ${code(key)} is failing. Latest failure: ${run}${commit}. This issue is updated by each failing run and closed by the next clean one.`;
    const doc = buildDocument(redactDeep(outcome, hide), state.context);
    const head = { ...doc, head: `${lead}\n\n${doc.head}` };
    const fitted = fitDocument(head, {
      limit: COMMENT_LIMIT - sizeOf(mark) - 1,
      note: commentCutNote(event.runUrl),
    });
    const result = await reportFailure(github.api, {
      label,
      marker: mark,
      author,
      title: hide(`autoscale-gitops: apply failing for ${key}`),
      body: hide(fitted.markdown),
    });
    if (result.action === 'failed') {
      core.warning(
        hide(
          `could not update the failure issue: ${githubErrorText(result.error)} (the job needs \`permissions: issues: write\`)`,
        ),
      );
    } else if (result.action !== 'none') {
      core.info(hide(`failure issue ${result.action}: ${result.issue.url}`));
    }
  } catch (error) {
    core.warning(hide(`could not update the failure issue: ${githubErrorText(error)}`));
  }
}
