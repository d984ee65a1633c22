/**
 * The CLI's arguments: parsed and checked here, then the command's own module is loaded
 * (offline.ts: validate, schema, iam-policy; live.ts: plan, apply). Each is imported only when
 * its command runs, so `--version` or `--help` costs little more than starting Node, and
 * validate never loads the AWS SDK.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DEFAULT_TIMEOUT_SECONDS, formatTimeout } from '../deadline.ts';
import { VERSION } from '../version.ts';
import { type CliIo, type CliOptions, EXIT_ERROR, EXIT_OK } from './io.ts';

export { type CliIo, type CliOptions, EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from './io.ts';

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

  // config/semantic.ts holds the one duration syntax; it is loaded with the configuration's checks.
  const { parseDuration } = await import('../config/semantic.ts');
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
      return (await import('./offline.ts')).schemaCommand(io);
    case 'validate':
      return (await import('./offline.ts')).validateCommand(options, io);
    case 'iam-policy':
      return (await import('./offline.ts')).iamPolicyCommand(options, io);
    case 'plan':
      return (await import('./live.ts')).planCommand(options, io);
    case 'apply':
      return (await import('./live.ts')).applyCommand(options, io);
    default:
      return usageError(io, `unknown command "${command}"`);
  }
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`autoscale-gitops: error: ${message}\nRun 'autoscale-gitops --help' for usage.\n`);
  return EXIT_ERROR;
}
