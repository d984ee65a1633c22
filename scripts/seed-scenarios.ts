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

const USAGE = 'usage: node scripts/seed-scenarios.ts [--dist DIR] [--before]\n';
let values: { dist: string; before: boolean };
try {
  ({ values } = parseArgs({
    options: { dist: { type: 'string', default: 'dist' }, before: { type: 'boolean', default: false } },
  }));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const cli = resolve(values.dist, 'cli.js');

/** The plan's summary, change lines and warnings or errors, without the evidence under each change. */
function planLines(result: ProcessResult): string[] {
  const lines = result.stdout
    .split('\n')
    .filter((l) => /^(Plan:|No changes|Errors:|Warnings:)|^ {2}[-+~!] |^ {2}\S/.test(l));
  return withExit(lines, result);
}

/** apply's outcome: its summary, then each change with its result (the plan above has the rest). */
function applyLines(result: ProcessResult): string[] {
  const lines: string[] = [];
  let change: string | undefined;
  let errors = false;
  for (const line of result.stdout.split('\n')) {
    if (/^ {2}[-+~!] /.test(line)) change = line.replace(/ {2}\(.*\)$/, '');
    else if (change !== undefined && line.startsWith('      => ')) {
      lines.push(`${change} ${line.trim()}`);
      change = undefined;
    } else if (/^(Apply:|No changes)/.test(line)) lines.push(line);
    else if (/^\S/.test(line)) {
      errors = line === 'Errors:';
      if (errors) lines.push(line);
    } else if (errors && line !== '') lines.push(line);
  }
  return withExit(lines, result);
}

function withExit(lines: string[], result: ProcessResult): string[] {
  const stderr = result.stderr.trim();
  return [
    ...lines,
    ...(stderr === '' ? [] : [`stderr: ${stderr.split('\n')[0]}`]),
    `exit ${result.code}`,
  ].map((l) => l.replaceAll(LINERATE_TOKEN, '***'));
}

/**
 * Prints one scenario. `names` gives the instances the scenario seeded a role (LAUNCHED,
 * TERMINATED, ...) shown in place of their ids, once listed at the top.
 */
function print<State>(
  title: string,
  run: SeedRun<State>,
  names: Record<string, string>,
  state: string[],
): void {
  const named = (line: string): string =>
    Object.entries(names).reduce((text, [id, name]) => text.replaceAll(id, name), line);
  process.stdout.write(`\n=== ${title}\n`);
  const section = (name: string, lines: string[]) =>
    process.stdout.write(`-- ${name}\n${lines.map((l) => `   ${named(l)}`).join('\n')}\n`);
  if (Object.keys(names).length > 0)
    process.stdout.write(
      `   (${Object.entries(names)
        .map(([id, name]) => `${name} = ${id}`)
        .join(', ')})\n`,
    );
  section('plan', planLines(run.plan));
  section('apply --auto-approve', applyLines(run.apply));
  section('state afterwards', state);
  section('plan again', planLines(run.again));
}

const listed = (items: readonly string[]): string => (items.length === 0 ? '(none)' : items.join(' '));

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
  print(
    '000 lros-autoscaler: LineRate real servers',
    lr,
    {
      [lr.state.kept]: 'KEPT',
      [lr.state.launched]: 'LAUNCHED',
      [lr.state.terminated]: 'TERMINATED',
      [lr.state.detached]: 'DETACHED',
    },
    [
      `LAUNCHED's private IP: ${lr.state.launchedIp}`,
      ...Object.entries(lr.state.servers).map(
        ([path, body]) => `real server ${path.replace(PATH_PREFIX, '…/')} ${JSON.stringify(body)}`,
      ),
      ...lr.state.writes.map((w) => `request: ${w}`),
    ],
  );

  const at = await run(runAttachments);
  print("001 boto's tutorial: a group with a Classic ELB, a target group, ELB health check", at, {}, [
    `group: LoadBalancerNames ${JSON.stringify(at.state.loadBalancers)}, ${
      at.state.targetGroups.length
    } target group attached, HealthCheckType ${at.state.healthCheckType}, grace ${at.state.healthCheckGrace}`,
    `AWS scaled out to ${at.state.instances.length} after apply (no run of ours): ${listed(at.state.instances)}`,
    `classic-web instances: ${listed(at.state.elbInstances)}`,
    `target group web targets: ${listed(at.state.targets)}`,
  ]);

  const salt = await run(runSalt);
  print(
    "002 Salt's ec2-autoscale-reactor: accept a new minion, delete a gone key",
    salt,
    {
      [salt.state.accepted]: 'ACCEPTED',
      [salt.state.pending]: 'PENDING',
      [salt.state.terminated]: 'TERMINATED',
    },
    [
      `minions: ${listed(salt.state.minions)}`,
      `minions_pre: ${listed(salt.state.minions_pre)}`,
      ...salt.state.calls.map((c) => `ran: salt-key ${c.join(' ')}`),
    ],
  );

  const chef = await run(runChef);
  print(
    '003 Chef: delete the node and client of a terminated instance',
    chef,
    { [chef.state.running]: 'RUNNING', [chef.state.terminated]: 'TERMINATED' },
    [
      `nodes: ${listed(chef.state.nodes)}`,
      `clients: ${listed(chef.state.clients)}`,
      ...chef.state.calls.map((c) => `ran: knife ${c.join(' ')}`),
    ],
  );
} catch (error) {
  process.stderr.write(`seed scenarios failed: ${(error as Error).stack ?? error}\n`);
  exitCode = 1;
} finally {
  await moto.stop();
}
process.exitCode = exitCode;
