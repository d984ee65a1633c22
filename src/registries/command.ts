/**
 * A registry behind commands: list with a command printing JSON; register or delete with a command
 * template whose placeholders become shell-quoted words (requests.ts, placeholders.ts: ids, names
 * and addresses come from outside, never pasted raw). Each
 * command runs under /bin/sh -c in its own process group, killed whole at the timeout, when it
 * prints more than the cap (the list's `max_bytes`, default 16 MiB) or when the signal aborts.
 * A process that left the group (setsid, a daemon) may still hold our pipes open: a moment after
 * the kill we stop waiting for them, so nothing it does can keep the run waiting.
 */
import { spawn } from 'node:child_process';
import type { LiveRegistryEntry, RegistryListSpec } from '../model.ts';
import { sizeText } from '../net/http.ts';
import { entriesOf } from './entries.ts';
import { MAX_ANSWER_BYTES } from './http.ts';

export const COMMAND_TIMEOUT_MS = 60_000;
/** How long after killing the group we still wait for the pipes to close by themselves. */
const KILL_GRACE_MS = 2_000;
const STDERR_KEEP = 2_000;

export interface CommandOptions {
  readonly timeoutMs?: number;
  /**
   * When set, no command runs: listing or deleting fails with this reason (a pull request's
   * plan must not run commands its unreviewed YAML names).
   */
  readonly refuse?: string;
  readonly cwd?: string;
  /** Default: this process's environment without the runner's own tokens ({@link commandEnv}). */
  readonly env?: NodeJS.ProcessEnv;
  /** Ends the command (its whole process group) early, e.g. at the run's deadline. */
  readonly signal?: AbortSignal;
}

/** {@link runShell}'s own settings beside the shared ones. */
export interface ShellOptions extends CommandOptions {
  /** Larger output is an error, not a reason to run out of memory. Default 16 MiB. */
  readonly maxBytes?: number;
}

/**
 * Variables a registry command never needs and must not see: the Action's inputs (the GitHub
 * token among them) and the runner's internal tokens. Everything else (PATH, HOME, the tools'
 * own settings, AWS credentials) is passed on.
 */
const WITHHELD =
  /^(INPUT_|ACTIONS_RUNTIME_|ACTIONS_ID_TOKEN_|ACTIONS_CACHE_|ACTIONS_RESULTS_)|^(GITHUB_TOKEN|GH_TOKEN)$/;

export function commandEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(base).filter(([key]) => !WITHHELD.test(key)));
}

type CommandList = Extract<RegistryListSpec, { kind: 'command' }>;

export async function listCommand(
  spec: CommandList,
  options: CommandOptions = {},
): Promise<LiveRegistryEntry[]> {
  return entriesOf(await listCommandAnswer(spec, options), spec);
}

/** The list command's output, parsed, before its entries are read (several registries may share it). */
export async function listCommandAnswer(spec: CommandList, options: CommandOptions = {}): Promise<unknown> {
  if (options.refuse !== undefined) throw new Error(options.refuse);
  const stdout = await runShell(spec.command, {
    ...options,
    ...(spec.maxBytes === undefined ? {} : { maxBytes: spec.maxBytes }),
  });
  try {
    return JSON.parse(stdout);
  } catch {
    throw new Error('the list command did not print JSON');
  }
}

/** Runs `/bin/sh -c command`; resolves with stdout when it exits 0. */
export function runShell(command: string, options: ShellOptions = {}): Promise<string> {
  const timeout = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? MAX_ANSWER_BYTES;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new Error(`the command was not run: ${abortText(options.signal)}`));
      return;
    }
    const child = spawn('/bin/sh', ['-c', command], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: options.env ?? commandEnv(),
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: string | undefined;
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const onAbort = (): void => killGroup(`was ${abortText(options.signal)}`);
    const finish = (error: Error | undefined, stdout?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      options.signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else resolve(stdout ?? '');
    };
    function killGroup(why: string): void {
      failure ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      // A process outside the group may hold the pipes: stop reading them a moment later.
      grace ??= setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(new Error(`the command ${failure}`));
      }, KILL_GRACE_MS);
    }
    const timer = setTimeout(() => killGroup(`timed out after ${timeout / 1000}s`), timeout);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure !== undefined) return;
      size += chunk.length;
      if (size > maxBytes) killGroup(`printed more than ${sizeText(maxBytes)}`);
      else chunks.push(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEEP);
    });
    child.once('error', (error) => {
      finish(new Error(`could not run the command: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      const tail = stderr.trim();
      if (failure !== undefined) finish(new Error(`the command ${failure}`));
      else if (code !== 0)
        finish(
          new Error(
            `the command exited with ${code === null ? `signal ${signal}` : `code ${code}`}${tail ? `: ${tail}` : ''}`,
          ),
        );
      else finish(undefined, Buffer.concat(chunks).toString('utf8'));
    });
  });
}

function abortText(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof Error && reason.name !== 'AbortError' ? `aborted: ${reason.message}` : 'aborted';
}
