/**
 * The commands that read or change AWS: plan and apply. Loaded only when one of them runs (the
 * AWS SDK, the planners and the renderers are most of the bundle).
 */
import { type FileHandle, open } from 'node:fs/promises';
import { RunDeadline } from '../deadline.ts';
import { reportContext } from '../github/comment.ts';
import { readEvent, readPayload } from '../github/event.ts';
import { redactDeep } from '../github/redact.ts';
import { markerKey } from '../github/sticky.ts';
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
import { Masker } from '../secrets.ts';
import { type CliIo, type CliOptions, EXIT_ERROR, EXIT_OK, reportDiagnostics } from './io.ts';

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

export function planCommand(options: CliOptions, io: CliIo): Promise<number> {
  return withOutput(options, io, async (out) => {
    const run = await runPlan(pipelineOptions(options, io));
    if (reportDiagnostics(run.diagnostics, run.secrets, io) || run.plan === null) return EXIT_ERROR;
    await out.emit(renderMasked(options, io, run.secrets, run.plan));
    reportPlanErrors(run.plan, run.secrets, io);
    return planExitCode(run, options.detailedExitcode);
  });
}

export function applyCommand(options: CliOptions, io: CliIo): Promise<number> {
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
  // Show the plan, ask, then apply exactly that plan (not a fresh one that may differ). A config
  // error leaves no plan to show: refused, as with --auto-approve.
  const run = await runPlan(pipelineOptions(options, io));
  if (reportDiagnostics(run.diagnostics, run.secrets, io) || run.plan === null) return EXIT_ERROR;
  io.stdout(`${renderMasked({ ...options, format: 'text' }, io, run.secrets, run.plan)}\n`);
  // The plan's errors (a failed read, a missing target group) hold back only what they concern,
  // as with --auto-approve and the Action: the rest is still offered, and the exit status is 1.
  const errors = run.plan.errors.length;
  reportPlanErrors(run.plan, run.secrets, io);
  if (!hasChanges(run.plan)) return errors > 0 ? EXIT_ERROR : EXIT_OK;
  if (errors > 0) {
    io.stderr(
      `The plan has ${errors === 1 ? 'an error' : `${errors} errors`} (above): what ${errors === 1 ? 'it concerns' : 'they concern'} is left as it is; the changes shown can still be applied, and the exit status will be 1.\n`,
    );
  }
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
