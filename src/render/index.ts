/**
 * Renderings of a Plan (and of an apply's report): no AWS, no GitHub calls, just text. Markdown is
 * the pull request comment's renderer (src/github/comment.ts), so there is one Markdown form of a
 * plan; here with no commit or links (the CLI passes them when it runs in a workflow).
 */
import { planComment } from '../github/comment.ts';
import type { ReportContext } from '../github/report.ts';
import type { ApplyReport, Plan } from '../model.ts';
import { renderJson } from './json.ts';
import { renderText } from './text.ts';

export type OutputFormat = 'text' | 'json' | 'markdown';

export function render(
  format: OutputFormat,
  plan: Plan,
  report?: ApplyReport,
  context: ReportContext = { configKey: 'clusters' },
): string {
  switch (format) {
    case 'text':
      return renderText(plan, report);
    case 'json':
      return renderJson(plan, report);
    case 'markdown':
      return planComment(plan, report, context);
  }
}

export { planDocument, renderJson } from './json.ts';
export { applyLine, summaryLine } from './summary.ts';
export { renderText } from './text.ts';
