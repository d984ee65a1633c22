/**
 * The GitHub Action shell: read inputs, run the pipeline, report through annotations, the job
 * summary and outputs. Every string that leaves here goes through `redact`.
 */
import * as core from '@actions/core';
import { formatDiagnostic, hasErrors } from './config/diagnostics.ts';
import { loadConfig } from './config/index.ts';
import { annotate } from './github/annotations.ts';
import { diagnosticsMarkdown } from './github/diagnostics-summary.ts';
import { redact } from './secrets.ts';

export type Mode = 'auto' | 'validate' | 'plan' | 'apply';

export async function run(): Promise<void> {
  try {
    const configDir = core.getInput('config') || 'clusters';
    const only = core.getInput('only');
    const mode = (core.getInput('mode') || 'auto') as Mode;
    if (!['auto', 'validate', 'plan', 'apply'].includes(mode)) {
      core.setFailed(`input "mode" must be auto, validate, plan or apply, not "${mode}"`);
      return;
    }
    const loaded = await loadConfig(configDir, only ? { only } : {});
    for (const secret of loaded.secrets) core.setSecret(secret);
    const hide = (text: string) => redact(text, loaded.secrets);
    for (const d of loaded.diagnostics) core.info(hide(formatDiagnostic(d)));
    const omitted = annotate(loaded.diagnostics, core, hide);
    if (loaded.diagnostics.length > 0) {
      await core.summary.addRaw(diagnosticsMarkdown(loaded.diagnostics, hide)).write();
    }
    if (hasErrors(loaded.diagnostics)) {
      const more = omitted > 0 ? ` (${omitted} more in the job summary)` : '';
      core.setFailed(`configuration in ${configDir} is invalid${more}`);
      return;
    }
    core.info(`${loaded.files.length} configuration file(s) valid in ${configDir}`);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
