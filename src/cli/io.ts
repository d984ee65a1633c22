/**
 * What the CLI's commands share: the terminal they talk to, the parsed options, the exit
 * statuses. Kept free of the pipeline's modules so `--version` and `--help` load none of them.
 */
import { type Diagnostic, formatDiagnostic, hasErrors } from '../config/diagnostics.ts';
import type { Environment } from '../config/interpolate.ts';
import { redact } from '../secrets.ts';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether a person can answer a confirmation prompt. */
  readonly isInteractive: boolean;
  /** Asks a question at the terminal; only called when isInteractive. */
  ask?(question: string): Promise<string>;
  readonly env: Environment;
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

export type CliOptions = {
  config: string;
  only: string | undefined;
  region: string | undefined;
  format: 'text' | 'json' | 'markdown';
  out: string | undefined;
  timeoutSeconds: number;
  cacheDir: string | undefined;
  detailedExitcode: boolean;
  autoApprove: boolean;
  strictEnv: boolean;
};

/** Config problems on stderr, one per line; true when there were errors. */
export function reportDiagnostics(
  diagnostics: readonly Diagnostic[],
  secrets: ReadonlySet<string>,
  io: CliIo,
): boolean {
  for (const d of diagnostics) io.stderr(`${redact(formatDiagnostic(d), secrets)}\n`);
  return hasErrors(diagnostics);
}
