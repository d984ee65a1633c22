/**
 * The seed documents' scenarios (LineRate, boto's ELB group, Salt, Chef) run end to end with a
 * given bundle, printing for each the plan, the apply's outcome, the second plan, and the
 * registry or AWS state afterwards: the before/after quote for issue 13.
 *
 *   node scripts/seed-scenarios.ts [--dist DIR] [--before]
 *
 * `--dist DIR` picks the bundle (DIR/cli.js; default dist/). `--before` writes the YAML the tool
 * accepted before issue 13 (registries with list, delete and instance only; target_groups only),
 * for a bundle built before it. The scenarios are test/support/seed-scenarios.ts, as the test runs
 * them. Starts moto on a free port and stops it, also on failure.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAwsClients } from '../src/aws/clients.ts';
import { motoEnv, startMoto, TEST_CREDENTIALS, TEST_REGION } from '../test/support/moto-server.ts';
import type { ProcessResult } from '../test/support/run-bundle.ts';
import {
  LINERATE_TOKEN,
  PATH_PREFIX,
  runAttachments,
  runChef,
  runLineRate,
  runSalt,
  type SeedContext,
  type SeedRun,
} from '../test/support/seed-scenarios.ts';

const { values } = parseArgs({
  options: { dist: { type: 'string', default: 'dist' }, before: { type: 'boolean', default: false } },
});
const cli = resolve(values.dist, 'cli.js');

/** The plan's change lines and summary, without the evidence under each change. */
function planLines(result: ProcessResult): string[] {
  const lines = result.stdout
    .split('\n')
    .filter((l) => /^(Plan:|Apply:|No changes|Errors:|Warnings:)|^ {2}[-+~!] |^ {2}\S/.test(l))
    .map((l) => l.replaceAll(LINERATE_TOKEN, '***'));
  const stderr = result.stderr.trim();
  return [...lines, ...(stderr === '' ? [] : [`stderr: ${stderr.split('\n')[0]}`]), `exit ${result.code}`];
}

function print<State>(title: string, run: SeedRun<State>, state: string[]): void {
  process.stdout.write(`\n=== ${title}\n`);
  const section = (name: string, lines: string[]) =>
    process.stdout.write(`-- ${name}\n${lines.map((l) => `   ${l}`).join('\n')}\n`);
  section('plan', planLines(run.plan));
  section('apply --auto-approve', planLines(run.apply));
  section('state afterwards', state);
  section('plan again', planLines(run.again));
}

const short = (id: string, names: Record<string, string>): string => names[id] ?? id;

const moto = await startMoto();
let exitCode = 0;
try {
  process.stdout.write(`bundle ${cli}${values.before ? ' (YAML as before issue 13)' : ''}\n`);
  const run = async <State>(scenario: (ctx: SeedContext) => Promise<SeedRun<State>>) => {
    await moto.reset();
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: moto.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    try {
      return await scenario({ clients, awsEnv: motoEnv(moto.endpoint), cli, before: values.before });
    } finally {
      clients.destroy();
    }
  };

  const lr = await run(runLineRate);
  const lrNames = {
    [lr.state.kept]: 'KEPT',
    [lr.state.launched]: 'LAUNCHED',
    [lr.state.terminated]: 'TERMINATED',
    [lr.state.detached]: 'DETACHED',
  };
  const lrText = (text: string) =>
    Object.entries(lrNames).reduce((t, [id, name]) => t.replaceAll(id, name), text);
  print('000 lros-autoscaler: LineRate real servers', lr, [
    `instances: ${Object.entries(lrNames)
      .map(([id, name]) => `${name}=${id}`)
      .join(' ')}; LAUNCHED's private IP ${lr.state.launchedIp}`,
    ...Object.entries(lr.state.servers).map(
      ([path, body]) => `real server ${lrText(path.replace(PATH_PREFIX, '…/'))} ${JSON.stringify(body)}`,
    ),
    ...lr.state.writes.map((w) => `request: ${lrText(w)}`),
  ]);

  const at = await run(runAttachments);
  print("001 boto's tutorial: a group with a Classic ELB, a target group, ELB health check", at, [
    `group: LoadBalancerNames ${JSON.stringify(at.state.loadBalancers)}, TargetGroupARNs ${
      at.state.targetGroups.length
    } attached, HealthCheckType ${at.state.healthCheckType}, grace ${at.state.healthCheckGrace}`,
    `after AWS scaled out to ${at.state.instances.length} (no run of ours): ${at.state.instances.join(' ')}`,
    `classic-web instances: ${at.state.elbInstances.join(' ') || '(none)'}`,
    `target group web targets: ${at.state.targets.join(' ') || '(none)'}`,
  ]);

  const salt = await run(runSalt);
  const saltNames = {
    [salt.state.accepted]: 'ACCEPTED',
    [salt.state.pending]: 'PENDING',
    [salt.state.terminated]: 'TERMINATED',
  };
  print("002 Salt's ec2-autoscale-reactor: accept a new minion, delete a gone key", salt, [
    `minions: ${salt.state.minions.map((k) => short(k, saltNames)).join(' ') || '(none)'}`,
    `minions_pre: ${salt.state.minions_pre.map((k) => short(k, saltNames)).join(' ') || '(none)'}`,
    ...salt.state.calls.map((c) => `salt-key ${c.map((a) => short(a, saltNames)).join(' ')}`),
  ]);

  const chef = await run(runChef);
  const chefNames = { [chef.state.running]: 'RUNNING', [chef.state.terminated]: 'TERMINATED' };
  print('003 Chef: delete the node and client of a terminated instance', chef, [
    `nodes: ${chef.state.nodes.map((n) => short(n, chefNames)).join(' ') || '(none)'}`,
    `clients: ${chef.state.clients.map((n) => short(n, chefNames)).join(' ') || '(none)'}`,
    ...chef.state.calls.map((c) => `knife ${c.map((a) => short(a, chefNames)).join(' ')}`),
  ]);
} catch (error) {
  process.stderr.write(`seed scenarios failed: ${(error as Error).stack ?? error}\n`);
  exitCode = 1;
} finally {
  await moto.stop();
}
process.exitCode = exitCode;
