import type { AnnotationProperties } from '@actions/core';
import type { Diagnostic } from '../config/diagnostics.ts';

/**
 * GitHub shows at most 10 error and 10 warning annotations per step (and 50 per job); more are
 * dropped silently. We emit up to the cap and put the full list in the job summary.
 */
export const ANNOTATIONS_PER_SEVERITY = 10;

export interface AnnotationSink {
  error(message: string, properties: AnnotationProperties): void;
  warning(message: string, properties: AnnotationProperties): void;
}

/** Annotations emitted so far in this step, per severity (the cap is per step, not per call). */
export interface AnnotationCount {
  error: number;
  warning: number;
}

/**
 * Emits annotations for the first diagnostics of each severity; returns how many were left out.
 * Pass the same `emitted` to successive calls of one step so that together they stay under the cap.
 */
export function annotate(
  diagnostics: readonly Diagnostic[],
  sink: AnnotationSink,
  redact: (s: string) => string,
  emitted: AnnotationCount = { error: 0, warning: 0 },
): number {
  let omitted = 0;
  for (const d of diagnostics) {
    if (emitted[d.severity] >= ANNOTATIONS_PER_SEVERITY) {
      omitted++;
      continue;
    }
    emitted[d.severity]++;
    sink[d.severity](redact(d.message), {
      title: 'autoscale-gitops',
      file: d.file,
      startLine: d.line,
      startColumn: d.col,
    });
  }
  return omitted;
}
