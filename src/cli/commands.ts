import { type ParseArgsConfig, parseArgs } from 'node:util';
import { formatDiagnostic, hasErrors } from '../config/diagnostics.ts';
import { loadConfig, loadSchema } from '../config/index.ts';
import type { Environment } from '../config/interpolate.ts';
import { redact } from '../secrets.ts';
import { VERSION } from '../version.ts';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether a person can answer a confirmation prompt. */
  readonly isInteractive: boolean;
  readonly env: Environment;
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

const USAGE = `Usage: autoscale-gitops <command> [options]

Keeps AWS scaling (Auto Scaling groups, triggers, ECS services, target registrations)
in line with the YAML in a repository's clusters/ folder.

Commands:
  validate     check the configuration; exit 1 with file:line:col errors if it is wrong
  plan         read live AWS and print what apply would change
  apply        make the changes (needs --auto-approve, or a yes at a terminal)
  schema       print the JSON Schema of clusters/*.yml
  iam-policy   print the least-privilege IAM policy this configuration needs

Options:
  --config DIR          configuration directory (default: clusters)
  --only GLOB           only files whose path below DIR matches (for sharding)
  --region REGION       default region for files that name none (else AWS_REGION)
  --format FORMAT       text | json | markdown (plan, apply; default text)
  --out FILE            also write the rendered plan to FILE
  --detailed-exitcode   plan: exit 2 when there are changes, 0 when none
  --auto-approve        apply without asking
  -h, --help            show this help
  -v, --version         show the version

Exit status: 0 done and nothing left to change; 1 error; 2 changes (plan --detailed-exitcode).
`;

const OPTIONS = {
  config: { type: 'string', default: 'clusters' },
  only: { type: 'string' },
  region: { type: 'string' },
  format: { type: 'string', default: 'text' },
  out: { type: 'string' },
  'detailed-exitcode': { type: 'boolean', default: false },
  'auto-approve': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const satisfies ParseArgsConfig['options'];

export type CliOptions = {
  config: string;
  only: string | undefined;
  region: string | undefined;
  format: 'text' | 'json' | 'markdown';
  out: string | undefined;
  detailedExitcode: boolean;
  autoApprove: boolean;
};

const COMMANDS = new Set(['validate', 'plan', 'apply', 'schema', 'iam-policy']);
const FORMATS = new Set(['text', 'json', 'markdown']);

/** Runs one command and returns the exit status; throws only on bugs. */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    io.stdout(USAGE);
    return command === undefined && !values.help ? EXIT_ERROR : EXIT_OK;
  }
  if (!COMMANDS.has(command)) return usageError(io, `unknown command "${command}"`);
  if (positionals.length > 1) return usageError(io, `unexpected argument "${positionals[1]}"`);
  if (!FORMATS.has(values.format))
    return usageError(io, `--format must be text, json or markdown, not "${values.format}"`);

  const options: CliOptions = {
    config: values.config,
    only: values.only,
    region: values.region,
    format: values.format as CliOptions['format'],
    out: values.out,
    detailedExitcode: values['detailed-exitcode'],
    autoApprove: values['auto-approve'],
  };
  switch (command) {
    case 'schema':
      io.stdout(`${JSON.stringify(loadSchema(), null, 2)}\n`);
      return EXIT_OK;
    case 'validate':
      return validateCommand(options, io);
    default:
      return usageError(io, `command "${command}" is not available in this build`);
  }
}

async function validateCommand(options: CliOptions, io: CliIo): Promise<number> {
  const result = await loadConfig(options.config, {
    env: io.env,
    ...(options.only ? { only: options.only } : {}),
  });
  for (const d of result.diagnostics) io.stderr(`${redact(formatDiagnostic(d), result.secrets)}\n`);
  if (hasErrors(result.diagnostics)) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    io.stderr(`${errors} error${errors === 1 ? '' : 's'} in ${options.config}\n`);
    return EXIT_ERROR;
  }
  io.stdout(
    `${result.files.length} file${result.files.length === 1 ? '' : 's'} valid in ${options.config}\n`,
  );
  return EXIT_OK;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`autoscale-gitops: error: ${message}\nRun 'autoscale-gitops --help' for usage.\n`);
  return EXIT_ERROR;
}
