/** Renderings of a Plan (and of an apply's report): no AWS, no GitHub, just text. */
import type { ApplyReport, Plan } from '../model.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { renderText } from './text.ts';

export type OutputFormat = 'text' | 'json' | 'markdown';

export function render(format: OutputFormat, plan: Plan, report?: ApplyReport): string {
  switch (format) {
    case 'text':
      return renderText(plan, report);
    case 'json':
      return renderJson(plan, report);
    case 'markdown':
      return renderMarkdown(plan, report);
  }
}

export { planDocument, renderJson } from './json.ts';
export { renderMarkdown } from './markdown.ts';
export { applyLine, summaryLine } from './summary.ts';
export { renderText } from './text.ts';
