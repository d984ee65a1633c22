/**
 * Bench: one plan over N Auto Scaling groups with triggers and schedules, in moto.
 *
 *   npm run bench:groups            (500 groups)
 *   node bench/groups.ts 1000       (any count)
 *
 * Seeds N groups (desired 0: no instances), applies a config giving each a threshold trigger
 * (upper and lower: 2 policies, 2 alarms) and a schedule, then runs ONE plan and prints the AWS
 * calls it made per operation beside the lower bound, and its wall time.
 *
 * moto returns every policy, scheduled action and alarm in one page whatever MaxRecords says;
 * AWS returns at most 100. To count calls as AWS would need them, this bench pages those
 * responses client-side (bench/lib/paging.ts: a middleware slices each answer at MaxRecords and
 * hands out its own NextToken). Each page is still one real HTTP call to moto.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import { mapWithConcurrency } from '../src/aws/batch.ts';
import { type AwsClients, ClientPool } from '../src/aws/clients.ts';
import { runApply, runPlan } from '../src/pipeline.ts';
import { startMoto, TEST_CREDENTIALS, TEST_REGION } from '../test/support/moto-server.ts';
import { withAwsPaging } from './lib/paging.ts';

const GROUPS = Number(process.argv[2] ?? process.env.BENCH_GROUPS ?? 500);
const AWS_PAGE = 100;
const TARGET = 1.1;

function config(groups: readonly string[]): string {
  const lines = ['groups:'];
  for (const name of groups) {
    lines.push(
      `  ${name}:`,
      '    min: 0',
      '    max: 4',
      '    triggers:',
      '      cpu: { metric: CPUUtilization, period: 60, breach_duration: 180, upper: { threshold: 80, adjust: 1 }, lower: { threshold: 20, adjust: -1 } }',
      '    schedules:',
      '      nightly: { recurrence: "0 22 * * *", max: 2 }',
    );
  }
  return `${lines.join('\n')}\n`;
}

async function seed(clients: AwsClients, groups: readonly string[]): Promise<void> {
  await clients.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'bench',
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  await mapWithConcurrency(groups, 8, (name) =>
    clients.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        MinSize: 0,
        MaxSize: 4,
        DesiredCapacity: 0,
        AvailabilityZones: [`${TEST_REGION}a`],
        LaunchTemplate: { LaunchTemplateName: 'bench', Version: '$Latest' },
      }),
    ),
  );
}

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

async function main(): Promise<void> {
  const moto = await startMoto({ timeoutMs: 60_000 });
  const dir = await mkdtemp(join(tmpdir(), 'bench-groups-'));
  try {
    const names = Array.from({ length: GROUPS }, (_, i) => `bench-${String(i).padStart(4, '0')}-asg`);
    await writeFile(join(dir, 'bench.yml'), config(names));
    const options = { configDir: dir, cwd: dir, region: TEST_REGION, env: {}, endpoint: moto.endpoint };

    let started = performance.now();
    const seeder = new ClientPool({ credentials: TEST_CREDENTIALS });
    await seed(seeder.get({ region: TEST_REGION, endpoint: moto.endpoint }), names);
    seeder.destroy();
    const applyPool = new ClientPool({ credentials: TEST_CREDENTIALS });
    const applied = await runApply({ ...options, pool: applyPool });
    applyPool.destroy();
    const seedSeconds = (performance.now() - started) / 1000;
    if (applied.report === null || applied.report.failed > 0) throw new Error('seeding apply failed');

    const pool = new ClientPool({ credentials: TEST_CREDENTIALS });
    withAwsPaging(pool.get({ region: TEST_REGION, endpoint: moto.endpoint }));
    started = performance.now();
    const run = await runPlan({ ...options, pool });
    const planMs = performance.now() - started;
    pool.destroy();
    if (run.plan === null || run.plan.changes.length > 0 || run.plan.errors.length > 0) {
      throw new Error(`the plan after apply is not empty: ${JSON.stringify(run.plan?.summary)}`);
    }

    const policies = GROUPS * 2;
    const alarms = GROUPS * 2;
    const schedules = GROUPS;
    const bounds: Record<string, number> = {
      'AutoScaling:DescribeAutoScalingGroups': Math.ceil(GROUPS / 100),
      // Account-wide listing vs one call per group: the cheaper of the two.
      'AutoScaling:DescribePolicies': Math.min(Math.ceil(policies / AWS_PAGE), GROUPS),
      'AutoScaling:DescribeScheduledActions': Math.min(Math.ceil(schedules / AWS_PAGE), GROUPS),
      'CloudWatch:DescribeAlarms': Math.min(Math.ceil(alarms / AWS_PAGE), GROUPS),
    };
    const calls = run.counter.snapshot();
    const operations = [...new Set([...Object.keys(bounds), ...Object.keys(calls)])].sort();
    const total = operations.reduce((n, op) => n + (calls[op] ?? 0), 0);
    const bound = Object.values(bounds).reduce((n, b) => n + b, 0);

    console.log(
      `groups: ${GROUPS}; owned objects: ${policies} policies, ${alarms} alarms, ${schedules} scheduled actions`,
    );
    console.log(
      `seeded in ${seedSeconds.toFixed(1)} s (groups + one apply); AWS paging emulated at ${AWS_PAGE} per page\n`,
    );
    console.log(`${'operation'.padEnd(40)}${pad('calls', 7)}${pad('bound', 7)}${pad('ratio', 7)}`);
    for (const op of operations) {
      const made = calls[op] ?? 0;
      const lower = bounds[op];
      const ratio = lower === undefined || lower === 0 ? '-' : (made / lower).toFixed(2);
      console.log(`${op.padEnd(40)}${pad(made, 7)}${pad(lower ?? '-', 7)}${pad(ratio, 7)}`);
    }
    console.log(`${'total'.padEnd(40)}${pad(total, 7)}${pad(bound, 7)}${pad((total / bound).toFixed(2), 7)}`);
    // Sequential round trips: the account-wide listings page one after another (in parallel
    // with each other and with the group batches), so the longest listing sets the pace.
    const rounds = Math.max(...Object.values(bounds));
    console.log(
      `\nplan wall time: ${planMs.toFixed(0)} ms; HTTP attempts: ${run.counter.attempts}; critical path: ${rounds} round trips`,
    );

    // The same plan on moto's own one-page answers: what the emulated paging costs in wall time
    // (each emulated page makes moto serialise and the SDK parse the whole list again).
    const nativePool = new ClientPool({ credentials: TEST_CREDENTIALS });
    started = performance.now();
    const native = await runPlan({ ...options, pool: nativePool });
    const nativeMs = performance.now() - started;
    nativePool.destroy();
    console.log(
      `same plan without paging emulation: ${nativeMs.toFixed(0)} ms, ${native.counter.total()} calls`,
    );
    const within = total <= bound * TARGET;
    console.log(
      `target (calls within ${Math.round((TARGET - 1) * 100)}% of the lower bound): ${within ? 'met' : 'MISSED'}`,
    );
    process.exitCode = within ? 0 : 1;
  } finally {
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
