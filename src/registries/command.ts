/**
 * A registry behind commands: list with a command printing JSON, delete with a command template
 * whose `{id}` becomes the shell-quoted entry id (ids come from outside: never pasted raw). Each
 * command runs under /bin/sh -c in its own process group, killed whole at the timeout.
 */
import { spawn } from 'node:child_process';
import type { LiveRegistryEntry, RegistryDeleteSpec, RegistryListSpec } from '../model.ts';
import { entriesOf } from './entries.ts';
import { fillId, shellQuote } from './template.ts';

export const COMMAND_TIMEOUT_MS = 60_000;
/** Larger output is an error, not a reason to run out of memory. */
export const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;
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
type CommandDelete = Extract<RegistryDeleteSpec, { kind: 'command' }>;

export async function listCommand(
  spec: CommandList,
  options: CommandOptions = {},
): Promise<LiveRegistryEntry[]> {
  if (options.refuse !== undefined) throw new Error(options.refuse);
  const stdout = await runShell(spec.command, options);
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    throw new Error('the list command did not print JSON');
  }
  return entriesOf(answer, spec);
}

export async function deleteCommand(
  spec: CommandDelete,
  id: string,
  options: CommandOptions = {},
): Promise<void> {
  if (options.refuse !== undefined) throw new Error(options.refuse);
  if (id.includes('\0')) throw new Error('the entry id contains NUL: not run');
  await runShell(deleteCommandLine(spec.command, id), options);
}

/** The command line a delete runs: exported so tests can see exactly what the shell gets. */
export function deleteCommandLine(template: string, id: string): string {
  return fillId(template, shellQuote(id));
}

/** Runs `/bin/sh -c command`; resolves with stdout when it exits 0. */
export function runShell(command: string, options: CommandOptions = {}): Promise<string> {
  const timeout = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
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
    const killGroup = (why: string): void => {
      failure ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => killGroup(`timed out after ${timeout / 1000}s`), timeout);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) killGroup(`printed more than ${MAX_OUTPUT_BYTES} bytes`);
      else chunks.push(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEEP);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run the command: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const tail = stderr.trim();
      if (failure !== undefined) reject(new Error(`the command ${failure}`));
      else if (code !== 0)
        reject(
          new Error(
            `the command exited with ${code === null ? `signal ${signal}` : `code ${code}`}${tail ? `: ${tail}` : ''}`,
          ),
        );
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
