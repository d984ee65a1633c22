import { type FileHandle, open } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { defaultRegion } from '../aws/settings.ts';
import { type Diagnostic, formatDiagnostic, hasErrors } from '../config/diagnostics.ts';
import { loadConfig, loadSchema } from '../config/index.ts';
import type { Environment } from '../config/interpolate.ts';
import { parseDuration } from '../config/semantic.ts';
import { DEFAULT_TIMEOUT_SECONDS, formatTimeout, RunDeadline } from '../deadline.ts';
import { reportContext } from '../github/comment.ts';
import { readEvent, readPayload } from '../github/event.ts';
import { redactDeep } from '../github/redact.ts';
import { markerKey } from '../github/sticky.ts';
import { iamPolicy } from '../iam/policy.ts';
import type { ApplyReport, Plan } from '../model.ts';
import {
  applyExitCode,
  applyPlanned,
  type PipelineOptions,
  planExitCode,
  runApply,
  runPlan,
} from '../pipeline.ts';
import { hasChanges } from '../plan/index.ts';
import { render } from '../render/index.ts';
import { messageText } from '../render/text.ts';
import { Masker, redact } from '../secrets.ts';
import { VERSION } from '../version.ts';

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
  --region REGION       default region for files that name none (else AWS_REGION,
                        AWS_DEFAULT_REGION, the AWS profile's region)
  --format FORMAT       text | json | markdown (plan, apply; default text; markdown is the
                        pull request comment, as the Action posts it)
  --out FILE            also write the rendered plan to FILE (opened before any AWS call)
  --timeout DURATION    plan, apply: start no new work after this long, report, exit 1
                        (90s, 10m, 1h; default 15m)
  --cache-dir DIR       plan, apply: keep the task sizes read from ECS in DIR and reuse
                        them on later runs (task definition revisions never change)
  --detailed-exitcode   plan: exit 2 when there are changes, 0 when none
  --auto-approve        apply without asking
  --strict-env          validate: a variable that is not set is an error (default: a
                        warning, and the checks that need its value are skipped)
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
  timeout: { type: 'string', default: formatTimeout(DEFAULT_TIMEOUT_SECONDS) },
  'cache-dir': { type: 'string' },
  'detailed-exitcode': { type: 'boolean', default: false },
  'auto-approve': { type: 'boolean', default: false },
  'strict-env': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const satisfies ParseArgsConfig['options'];

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
  if (values.help || command === 'help') {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  // Misuse: the usage goes where errors go, so a script capturing stdout gets nothing odd.
  if (command === undefined) {
    io.stderr(USAGE);
    return EXIT_ERROR;
  }
  if (!COMMANDS.has(command)) return usageError(io, `unknown command "${command}"`);
  if (positionals.length > 1) return usageError(io, `unexpected argument "${positionals[1]}"`);
  if (!FORMATS.has(values.format))
    return usageError(io, `--format must be text, json or markdown, not "${values.format}"`);

  const timeoutSeconds = parseDuration(values.timeout);
  if (timeoutSeconds === undefined || timeoutSeconds <= 0)
    return usageError(
      io,
      `--timeout must be a positive duration such as 90s, 10m or 1h, not "${values.timeout}"`,
    );

  const options: CliOptions = {
    config: values.config,
    only: values.only,
    region: values.region,
    format: values.format as CliOptions['format'],
    out: values.out,
    timeoutSeconds,
    cacheDir: values['cache-dir'] || undefined,
    detailedExitcode: values['detailed-exitcode'],
    autoApprove: values['auto-approve'],
    strictEnv: values['strict-env'],
  };
  switch (command) {
    case 'schema':
      io.stdout(`${JSON.stringify(loadSchema(), null, 2)}\n`);
      return EXIT_OK;
    case 'validate':
      return validateCommand(options, io);
    case 'plan':
      return planCommand(options, io);
    case 'apply':
      return applyCommand(options, io);
    case 'iam-policy':
      return iamPolicyCommand(options, io);
    default:
      return usageError(io, `unknown command "${command}"`);
  }
}

/** The region a file without `region:` belongs to: --region, the environment, the profile. */
function regionOf(options: CliOptions, io: CliIo): Promise<string | undefined> {
  return defaultRegion(options.region, io.env);
}

async function configOptions(options: CliOptions, io: CliIo) {
  const region = await regionOf(options, io);
  return {
    env: io.env,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(region === undefined ? {} : { region }),
  };
}

/** The deadline starts when the command does: it bounds the whole run. */
function pipelineOptions(options: CliOptions, io: CliIo): PipelineOptions {
  return {
    configDir: options.config,
    deadline: new RunDeadline(options.timeoutSeconds),
    env: io.env,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  };
}

/** Config problems on stderr, one per line; true when there were errors. */
function reportDiagnostics(
  diagnostics: readonly Diagnostic[],
  secrets: ReadonlySet<string>,
  io: CliIo,
): boolean {
  for (const d of diagnostics) io.stderr(`${redact(formatDiagnostic(d), secrets)}\n`);
  return hasErrors(diagnostics);
}

/**
 * The plan's errors (what could not be read or planned) on stderr as well, one per line, after
 * the rendered plan: whoever reads only stderr (a script keeping stdout as the JSON plan, a CI
 * log filter) still learns why the exit status is 1.
 */
function reportPlanErrors(plan: Plan, secrets: ReadonlySet<string>, io: CliIo): void {
  const { hide } = new Masker(secrets);
  for (const error of plan.errors) io.stderr(`autoscale-gitops: error: ${hide(messageText(error))}\n`);
}

/**
 * The plan rendered with its secrets masked. Masked before rendering too: Markdown escapes `<` and
 * `&`, JSON escapes quotes, and a secret so escaped no longer matches after rendering.
 */
function renderMasked(
  options: Pick<CliOptions, 'format' | 'config' | 'only'>,
  io: CliIo,
  secrets: ReadonlySet<string>,
  plan: Plan,
  report?: ApplyReport,
): string {
  const { hide } = new Masker(secrets);
  const safePlan = redactDeep(plan, hide);
  const safeReport = report === undefined ? undefined : redactDeep(report, hide);
  // Markdown is the pull request comment itself (the same renderer as the Action's), with the
  // commit and links the workflow's environment gives when run in one, none on a laptop.
  const event = readEvent(io.env, readPayload(io.env.GITHUB_EVENT_PATH));
  const context = reportContext(event, markerKey(options.config, options.only));
  return hide(render(options.format, safePlan, safeReport, context));
}

/** Where the rendered plan goes: stdout, and the --out file opened before the run. */
interface Output {
  emit(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens --out before anything reaches AWS: a path that cannot be written (a missing folder, no
 * permission) fails the command before a plan is read or a change applied, not after.
 */
async function openOutput(options: CliOptions, io: CliIo): Promise<Output | string> {
  let file: FileHandle | undefined;
  if (options.out !== undefined) {
    try {
      file = await open(options.out, 'w');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return `--out ${options.out} cannot be written (${code}); nothing was read from or changed in AWS`;
    }
  }
  return {
    async emit(text) {
      const line = text.endsWith('\n') ? text : `${text}\n`;
      io.stdout(line);
      await file?.writeFile(line);
    },
    async close() {
      await file?.close();
    },
  };
}

/** Runs `body` with the output open; an --out that cannot be opened is an error before it. */
async function withOutput(options: CliOptions, io: CliIo, body: (out: Output) => Promise<number>) {
  const out = await openOutput(options, io);
  if (typeof out === 'string') {
    io.stderr(`autoscale-gitops: error: ${out}\n`);
    return EXIT_ERROR;
  }
  try {
    return await body(out);
  } finally {
    await out.close();
  }
}

function planCommand(options: CliOptions, io: CliIo): Promise<number> {
  return withOutput(options, io, async (out) => {
    const run = await runPlan(pipelineOptions(options, io));
    if (reportDiagnostics(run.diagnostics, run.secrets, io) || run.plan === null) return EXIT_ERROR;
    await out.emit(renderMasked(options, io, run.secrets, run.plan));
    reportPlanErrors(run.plan, run.secrets, io);
    return planExitCode(run, options.detailedExitcode);
  });
}

function applyCommand(options: CliOptions, io: CliIo): Promise<number> {
  if (!options.autoApprove && (!io.isInteractive || io.ask === undefined)) {
    io.stderr(
      'autoscale-gitops: error: apply needs --auto-approve when no one is at a terminal to confirm\n',
    );
    return Promise.resolve(EXIT_ERROR);
  }
  return withOutput(options, io, (out) =>
    options.autoApprove ? autoApply(options, io, out) : confirmAndApply(options, io, out),
  );
}

async function autoApply(options: CliOptions, io: CliIo, out: Output): Promise<number> {
  const run = await runApply(pipelineOptions(options, io));
  if (reportDiagnostics(run.diagnostics, run.secrets, io) || run.plan === null) return EXIT_ERROR;
  await out.emit(renderMasked(options, io, run.secrets, run.plan, run.report ?? undefined));
  reportPlanErrors(run.plan, run.secrets, io);
  return applyExitCode(run);
}

async function confirmAndApply(options: CliOptions, io: CliIo, out: Output): Promise<number> {
  const ask = io.ask as NonNullable<CliIo['ask']>;
  // Show the plan, ask, then apply exactly that plan (not a fresh one that may differ).
  const run = await runPlan(pipelineOptions(options, io));
  if (reportDiagnostics(run.diagnostics, run.secrets, io) || run.plan === null) return EXIT_ERROR;
  io.stdout(`${renderMasked({ ...options, format: 'text' }, io, run.secrets, run.plan)}\n`);
  if (run.plan.errors.length > 0) {
    reportPlanErrors(run.plan, run.secrets, io);
    return EXIT_ERROR;
  }
  if (!hasChanges(run.plan)) return EXIT_OK;
  const answer = await ask('Apply these changes? Only "yes" is accepted: ');
  if (answer.trim() !== 'yes') {
    io.stderr('Apply cancelled.\n');
    return EXIT_ERROR;
  }
  // The wait for an answer is the person's: the apply gets a timeout of its own.
  const report = await applyPlanned(run.plan, pipelineOptions(options, io));
  const applied = { ...run, report };
  await out.emit(renderMasked(options, io, run.secrets, run.plan, report));
  return applyExitCode(applied);
}

async function iamPolicyCommand(options: CliOptions, io: CliIo): Promise<number> {
  const result = await loadConfig(options.config, await configOptions(options, io));
  if (reportDiagnostics(result.diagnostics, result.secrets, io)) return EXIT_ERROR;
  io.stdout(`${JSON.stringify(iamPolicy(result.clusters, await regionOf(options, io)), null, 2)}\n`);
  return EXIT_OK;
}

async function validateCommand(options: CliOptions, io: CliIo): Promise<number> {
  // Checking files offline needs no secrets: a variable not set is a warning, its value unknown.
  const result = await loadConfig(options.config, {
    ...(await configOptions(options, io)),
    missingEnv: options.strictEnv ? 'error' : 'warning',
  });
  if (reportDiagnostics(result.diagnostics, result.secrets, io)) {
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
