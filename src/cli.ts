#!/usr/bin/env node
/**
 * The command-line shell: parse arguments, run one pipeline stage, print, and choose the exit
 * status (0 nothing to change, 1 error, 2 changes with --detailed-exitcode). All the work is in
 * the pipeline modules; nothing here talks to AWS directly.
 */
import { createInterface } from 'node:readline/promises';
import { type CliIo, runCommand } from './cli/commands.ts';

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isInteractive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  env: process.env,
  async ask(question) {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await prompt.question(question);
    } finally {
      prompt.close();
    }
  },
};

try {
  process.exitCode = await runCommand(process.argv.slice(2), io);
} catch (error) {
  // A bug, not a user error: one line, no stack unless asked for.
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`autoscale-gitops: error: ${message}\n`);
  if (process.env.AUTOSCALE_GITOPS_DEBUG) io.stderr(`${(error as Error).stack ?? ''}\n`);
  process.exitCode = 1;
}
