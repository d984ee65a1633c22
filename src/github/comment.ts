/**
 * The plan comment as it is posted: the hidden marker on the first line, then the report
 * (report.ts) fitted under GitHub's comment limit. One renderer for the Action's comment and for
 * `plan --format markdown`, so what a reviewer previews on a laptop is the comment, byte for byte
 * (outside a workflow run it has no commit, no run and so no links).
 */
import type { ApplyReport, Plan } from '../model.ts';
import type { RunEvent } from './event.ts';
import { COMMENT_LIMIT, type Fitted, fitDocument } from './fit.ts';
import { sizeOf } from './markdown.ts';
import { buildDocument, commentCutNote, type Outcome, type ReportContext } from './report.ts';
import { marker, stickyBody } from './sticky.ts';

export interface RenderedComment {
  /** From sticky.ts `marker`: how the next run finds the comment again. */
  readonly marker: string;
  /** The text under the marker. */
  readonly text: string;
  readonly fitted: Fitted;
}

/** What the comment says about where it comes from: the commit, and links when in a workflow run. */
export function reportContext(event: RunEvent, configKey: string): ReportContext {
  // A pull request's head, not the merge commit GITHUB_SHA names: the reviewer's files.
  const commit = event.pullRequest?.headSha || event.sha;
  return {
    configKey,
    ...(commit ? { commit } : {}),
    ...(event.repoUrl === undefined ? {} : { repoUrl: event.repoUrl }),
    ...(event.runUrl === undefined ? {} : { runUrl: event.runUrl }),
  };
}

export function renderComment(outcome: Outcome, context: ReportContext): RenderedComment {
  const mark = marker('plan', context.configKey);
  const fitted = fitDocument(buildDocument(outcome, context), {
    limit: COMMENT_LIMIT - sizeOf(mark) - 1,
    note: commentCutNote(context.runUrl),
  });
  return { marker: mark, text: fitted.markdown, fitted };
}

/** The whole body as posted (marker included). */
export function commentBody(outcome: Outcome, context: ReportContext): string {
  const rendered = renderComment(outcome, context);
  return stickyBody(rendered.marker, rendered.text);
}

/** A plan (or an apply's report) as the comment shows it: `plan --format markdown`. */
export function planComment(plan: Plan, report: ApplyReport | undefined, context: ReportContext): string {
  const outcome: Outcome =
    report === undefined
      ? { kind: 'plan', plan, diagnostics: [] }
      : { kind: 'apply', plan, report, diagnostics: [] };
  return commentBody(outcome, context);
}
