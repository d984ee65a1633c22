/**
 * `npm run demo`: the main job end to end on a local AWS emulator, no account needed.
 * Starts moto and the local HTTP services the example clusters/ files read (RabbitMQ, the jobs
 * scheduler, Chef, Consul, a Salt master, a LineRate load balancer), seeds a small fleet with drift, then runs the bundled
 * CLI the way a scheduled job would: validate, plan, apply, and plan again (which must find
 * nothing to change). Stops everything it started, also on failure.
 */
import { spawn } from 'node:child_process';
import { delimiter, resolve } from 'node:path';
import { createAwsClients } from '../src/aws/clients.ts';
import {
  type MotoServer,
  motoEnv,
  startMoto,
  TEST_CREDENTIALS,
  TEST_REGION,
} from '../test/support/moto-server.ts';
import { seedFleet } from './demo/fleet.ts';
import { type DemoServers, STAND_IN_BIN, startServers } from './demo/servers.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = resolve(ROOT, 'dist/cli.js');

function heading(text: string): void {
  process.stdout.write(`\n\u001b[1m== ${text}\u001b[0m\n`);
}

function say(lines: readonly string[]): void {
  for (const line of lines) process.stdout.write(`  - ${line}\n`);
}

/** Runs the bundled CLI; its output goes straight to ours unless `capture` asks for stdout back. */
function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
  capture = false,
): Promise<{ code: number; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout }));
  });
}

/**
 * apply's text output is the plan again with a result under each change: keep its summary lines
 * and one line per change with its result (the plan above has the details).
 */
function applyLog(text: string): string {
  const out: string[] = [];
  let change: string | undefined;
  for (const line of text.split('\n')) {
    if (/^(Plan:|Apply:|No changes)/.test(line)) out.push(line);
    else if (/^ {2}[-+~] /.test(line)) change = line.replace(/ {2}\(.*\)$/, '');
    else if (change !== undefined && line.startsWith('      => ')) {
      out.push(`${change.padEnd(72)} => ${line.slice(9)}`);
      change = undefined;
    }
  }
  return `${out.join('\n')}\n`;
}

let moto: MotoServer | undefined;
let servers: DemoServers | undefined;
let exitCode = 0;
try {
  moto = await startMoto();
  heading(`local AWS emulator (moto) on ${moto.endpoint}`);
  const clients = createAwsClients({
    region: TEST_REGION,
    endpoint: moto.endpoint,
    credentials: TEST_CREDENTIALS,
  });
  const fleet = await seedFleet(clients).finally(() => clients.destroy());
  say(fleet.story);

  heading('local services the YAML reads (127.0.0.1 only)');
  servers = await startServers(fleet.instances);
  say(servers.story);
  say([
    'salt-key and consul on the CLI’s PATH are the demo’s stand-ins (scripts/demo/bin), so web.yml’s command registries run as written and can never reach a real Salt master or Consul agent on this machine',
    'prune grace is 10m and moto dates every termination "now": only ids EC2 never knew (no time at all) are pruned here; the instance terminated just now is kept, and the plan says until when',
  ]);

  const env: NodeJS.ProcessEnv = {
    ...motoEnv(moto.endpoint),
    ...fleet.env,
    ...servers.env,
    PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ''}`,
  };
  heading('autoscale-gitops validate');
  const valid = await cli(['validate'], env);
  if (valid.code !== 0) throw new Error('the example configuration does not validate');

  heading('autoscale-gitops plan --detailed-exitcode   (what a pull request comment shows)');
  const planned = await cli(['plan', '--detailed-exitcode'], env);
  if (planned.code !== 2) throw new Error(`plan should find changes (exit 2), exited ${planned.code}`);

  heading('autoscale-gitops apply --auto-approve   (what the scheduled job does)');
  const applied = await cli(['apply', '--auto-approve'], env, true);
  // A failure shows in full; a success as one line per change.
  process.stdout.write(applied.code === 0 ? applyLog(applied.stdout) : applied.stdout);
  if (applied.code !== 0) throw new Error(`apply exited ${applied.code}`);
  process.stdout.write('\nThe registries, asked afterwards, deleted:\n');
  say(servers.deleted());
  process.stdout.write('and added:\n');
  say(servers.added());

  heading('autoscale-gitops plan --detailed-exitcode   (again: converged, nothing left to do)');
  const again = await cli(['plan', '--detailed-exitcode'], env);
  if (again.code !== 0) throw new Error(`the second plan should be empty (exit 0), exited ${again.code}`);
  heading('done: the fleet matches clusters/');
} catch (error) {
  process.stderr.write(`\ndemo failed: ${(error as Error).message}\n`);
  exitCode = 1;
} finally {
  const stopped = [
    ...(moto === undefined ? [] : [`moto 127.0.0.1:${moto.port}`]),
    ...Object.entries(servers?.ports ?? {}).map(([name, port]) => `${name} 127.0.0.1:${port}`),
  ];
  await servers?.close();
  await moto?.stop();
  if (stopped.length > 0) process.stdout.write(`\nstopped: ${stopped.join(', ')}\n`);
}
process.exitCode = exitCode;
