/**
 * `npm run demo`: the main job end to end on a local AWS emulator, no account needed.
 * Starts moto, seeds a small fleet with drift, then runs the bundled CLI the way a scheduled
 * job would: plan, apply, and plan again (which must find nothing to change). Stops everything
 * it started, also on failure.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createAwsClients } from '../src/aws/clients.ts';
import { motoEnv, startMoto, TEST_CREDENTIALS, TEST_REGION } from '../test/support/moto-server.ts';
import { seedFleet } from './demo/fleet.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = resolve(ROOT, 'dist/cli.js');

function heading(text: string): void {
  process.stdout.write(`\n\u001b[1m== ${text}\u001b[0m\n`);
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: 'inherit' });
    child.on('error', fail);
    child.on('close', (code) => done(code ?? 1));
  });
}

const moto = await startMoto();
let exitCode = 0;
try {
  heading(`local AWS emulator (moto) on ${moto.endpoint}`);
  const clients = createAwsClients({
    region: TEST_REGION,
    endpoint: moto.endpoint,
    credentials: TEST_CREDENTIALS,
  });
  const fleet = await seedFleet(clients);
  clients.destroy();
  for (const line of fleet.story) process.stdout.write(`  - ${line}\n`);

  const env = { ...motoEnv(moto.endpoint), ...fleet.env };
  heading('autoscale-gitops validate');
  if ((await cli(['validate'], env)) !== 0) throw new Error('the example configuration does not validate');

  heading('autoscale-gitops plan   (what a pull request comment shows)');
  const planned = await cli(['plan', '--detailed-exitcode'], env);
  if (planned !== 2) throw new Error(`plan should find changes (exit 2), exited ${planned}`);

  heading('autoscale-gitops apply --auto-approve   (what the scheduled job does)');
  const applied = await cli(['apply', '--auto-approve'], env);
  if (applied !== 0) throw new Error(`apply exited ${applied}`);

  heading('autoscale-gitops plan   (again: converged, nothing left to do)');
  const again = await cli(['plan', '--detailed-exitcode'], env);
  if (again !== 0) throw new Error(`the second plan should be empty (exit 0), exited ${again}`);
  heading('done: the fleet matches clusters/');
} catch (error) {
  process.stderr.write(`\ndemo failed: ${(error as Error).message}\n`);
  exitCode = 1;
} finally {
  await moto.stop();
}
process.exitCode = exitCode;
