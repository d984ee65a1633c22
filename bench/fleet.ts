/**
 * Bench: ONE plan over a realistic fleet in moto, against what AWS could at best do.
 *
 *   npm run bench                      (1,000 groups, 3,000 instances, 10 clusters × 50 services,
 *                                       1,000 metric queries, 20 target groups; 20 ms per request)
 *   node bench/fleet.ts --groups 200 --instances 600 --clusters 2 --services 10 --queries 40 \
 *     --target-groups 4 --latency 20 --cold-start-runs 5 --out bench/results/latest
 *   npm run bench -- --save /tmp/fleet   (also keeps the fleet for `node bench/replay.ts /tmp/fleet`)
 *
 * 1. Seeds the fleet in moto (bounded concurrency) and the clusters/*.yml that manage it, applies
 *    that YAML once (no proxy) so every owned object exists, then drifts a little.
 * 2. Plans once through the proxy (test/support/aws-proxy.ts) live on moto, recording moto's
 *    answers; then, the headline, again at --latency ms per request with those answers replayed
 *    (so the wall time is round trips and our own CPU, not moto's single Python thread) and the
 *    proxy's AWS rate model on (AWS's token buckets per API, src/aws/rates.ts: a request past
 *    them is throttled as AWS throttles), requests paced as the product paces them. Then the
 *    plan's own work without rate limits or pacing: at --latency, stage by stage, and at 0 ms.
 *    `--unpaced` adds the headline run without pacing: the throttling an unpaced client provokes.
 *    Each run is a fresh process; AWS's paging is emulated on moto's one-page answers
 *    (bench/lib/paging.ts).
 * 3. Prints API calls per operation beside the honest lower bound (bench/lib/bounds.ts), wall
 *    time beside the rate-limit floor (bench/lib/rate-floor.ts: the buckets' time for the calls
 *    the bound needs, and the critical path of dependent pages × latency), the throttling errors
 *    seen, CPU, peak memory, and the bundled Action's cold start; writes the figures to <out>.md
 *    and <out>.json.
 *
 * Capabilities the pipeline does not have yet (ECS, prune) make no calls: the table says which
 * capabilities the plan covered, and the figures fill in as they land.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ClientPool, createAwsClients } from '../src/aws/clients.ts';
import { runApply } from '../src/pipeline.ts';
import { type ProxyStats, startAwsProxy } from '../test/support/aws-proxy.ts';
import { startMoto, TEST_CREDENTIALS, TEST_REGION } from '../test/support/moto-server.ts';
import { type Bound, type Capability, callBounds, criticalPath } from './lib/bounds.ts';
import { type ColdStart, coldStartLines, measureColdStart } from './lib/coldstart.ts';
import {
  DEFAULT_SIZE,
  driftFleet,
  type FleetSize,
  putServiceMetrics,
  seedFleet,
  taskDefinitionsToPlace,
  writeFleetConfig,
} from './lib/fleet.ts';
import { type Measurement, measurePlan } from './lib/measure.ts';
import { describeBucket, rateFloor } from './lib/rate-floor.ts';
import { saveReplay } from './lib/replay.ts';

const { values: flags } = parseArgs({
  options: {
    groups: { type: 'string' },
    instances: { type: 'string' },
    clusters: { type: 'string' },
    services: { type: 'string' },
    queries: { type: 'string' },
    'target-groups': { type: 'string' },
    latency: { type: 'string', default: '20' },
    'cold-start-runs': { type: 'string', default: '7' },
    out: { type: 'string', default: 'bench/results/latest' },
    save: { type: 'string' },
    unpaced: { type: 'boolean', default: false },
  },
});

function count(name: keyof typeof flags, fallback: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${raw}`);
  return n;
}

const size: FleetSize = {
  ...DEFAULT_SIZE,
  groups: count('groups', DEFAULT_SIZE.groups),
  instances: count('instances', DEFAULT_SIZE.instances),
  clusters: count('clusters', DEFAULT_SIZE.clusters),
  services: count('services', DEFAULT_SIZE.services),
  queries: count('queries', DEFAULT_SIZE.queries),
  targetGroups: count('target-groups', DEFAULT_SIZE.targetGroups),
};
const LATENCY = count('latency', 20);
const COLD_RUNS = count('cold-start-runs', 7);
const OUT = resolve(flags.out ?? 'bench/results/latest');
/** --save DIR: keep the fleet's YAML and moto's recorded answers there, for bench/replay.ts. */
const SAVE = flags.save === undefined ? undefined : resolve(flags.save);
/** --unpaced: also the headline run without pacing (what an unpaced client provokes). */
const UNPACED = flags.unpaced === true;
/** The issue's targets: calls vs the honest bound; wall time on AWS's rates vs their floor. */
const CALLS_TARGET = 1.1;
const RATE_WALL_TARGET = 1.5;
/** The plan's own work (no rate limits) vs the critical path: the earlier target, for scale. */
const WALL_TARGET = 2;

const CAPABILITY_OPS: Readonly<Record<Capability, readonly string[]>> = {
  groups: ['AutoScaling:DescribeAutoScalingGroups'],
  triggers: ['AutoScaling:DescribePolicies', 'CloudWatch:DescribeAlarms'],
  schedules: ['AutoScaling:DescribeScheduledActions'],
  'ecs services': ['ECS:DescribeServices'],
  'ecs capacity': [
    'ECS:ListContainerInstances',
    'ECS:DescribeContainerInstances',
    'ECS:DescribeTaskDefinition',
  ],
  metrics: ['CloudWatch:GetMetricData'],
  targets: ['ELBv2:DescribeTargetGroups', 'ELBv2:DescribeTargetHealth'],
  prune: ['EC2:DescribeInstances'],
};

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const s1 = (seconds: number): string => `${seconds.toFixed(1)} s`;
const ratio = (a: number, b: number): string => (b === 0 ? '-' : (a / b).toFixed(2));

interface Row {
  readonly operation: string;
  readonly calls: number;
  readonly attempts: number;
  readonly bound: number | undefined;
  readonly why: string;
}

function rows(measured: Measurement, bounds: readonly Bound[]): Row[] {
  const ops = [...new Set([...bounds.map((b) => b.operation), ...Object.keys(measured.calls)])].sort();
  return ops.map((operation) => {
    const bound = bounds.find((b) => b.operation === operation);
    return {
      operation,
      calls: measured.calls[operation] ?? 0,
      attempts: measured.attempts[operation] ?? 0,
      bound: bound?.calls,
      why: bound?.why ?? 'no lower bound: not a read this fleet needs',
    };
  });
}

function covered(measured: Measurement): Capability[] {
  return (Object.keys(CAPABILITY_OPS) as Capability[]).filter((cap) =>
    CAPABILITY_OPS[cap].some((op) => (measured.calls[op] ?? 0) > 0),
  );
}

async function main(): Promise<void> {
  const moto = await startMoto({ timeoutMs: 60_000 });
  const dir = await mkdtemp(join(tmpdir(), 'bench-fleet-'));
  const started = performance.now();
  try {
    // ── 1. the fleet ────────────────────────────────────────────────────────────────────────
    process.stdout.write(
      `seeding: ${size.groups} groups, ${size.instances} instances, ${size.clusters} clusters × ${size.services} services, ` +
        `${size.queries} metric queries, ${size.targetGroups} target groups\n`,
    );
    const seeder = createAwsClients({
      region: TEST_REGION,
      endpoint: moto.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    const fleet = await seedFleet(seeder, size);
    const configDir = join(dir, 'clusters');
    await writeFleetConfig(configDir, fleet);
    const options = { configDir, cwd: configDir, region: TEST_REGION, env: {}, endpoint: moto.endpoint };
    let t = performance.now();
    const applyPool = new ClientPool({ credentials: TEST_CREDENTIALS });
    const applied = await runApply({ ...options, pool: applyPool });
    applyPool.destroy();
    const applySeconds = (performance.now() - t) / 1000;
    if (applied.plan === null) {
      throw new Error(applied.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
    }
    const report = applied.report;
    if (report === null || report.failed > 0) {
      const failed = [...(report?.results ?? [])].filter(([, r]) => r.status === 'failed').slice(0, 5);
      throw new Error(`the seeding apply failed: ${JSON.stringify(failed)}`);
    }
    const writes = Object.entries(applied.counter.snapshot())
      .filter(([op]) => !/:(Describe|List|Get)/.test(op))
      .reduce((n, [, c]) => n + c, 0);
    t = performance.now();
    const drift = await driftFleet(seeder, fleet);
    // The services' metrics, fresh: the plan reads the last minutes.
    await putServiceMetrics(seeder, fleet);
    const toPlace = await taskDefinitionsToPlace(seeder, fleet);
    seeder.destroy();
    const seedSeconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `seeded in ${s1(seedSeconds)} (${Object.entries(fleet.timings)
        .map(([k, v]) => `${k} ${s1(v)}`)
        .join(
          ', ',
        )}, first apply ${s1(applySeconds)}: ${applied.plan.changes.length} changes in ${writes} writes)\n` +
        `drift: ${drift.resized} groups resized by hand, ${drift.strays} stray targets registered\n\n`,
    );

    // ── 2. one plan: live on moto (0 ms, answers recorded), then at LATENCY ms per request with
    //       the recorded answers (AWS-like: the emulator's own service time out of the way) ────
    const proxy = await startAwsProxy({ target: moto.endpoint, answers: 'record' });
    // The run's clock is also the metric windows' (the services' datapoints are the last minutes).
    const now = new Date().toISOString();
    const floor = await measurePlan({ configDir, endpoint: proxy.endpoint, now, pacing: false });
    const motoStats = proxy.stats();
    if (SAVE !== undefined) await saveReplay(SAVE, { configDir, now, answers: proxy.exportAnswers() });
    // The headline: AWS's rate limits on (every bucket full: an idle account), paced as the product.
    proxy.configure({ latencyMs: LATENCY, answers: 'replay', rateModel: {} });
    proxy.resetStats();
    const measured = await measurePlan({ configDir, endpoint: proxy.endpoint, now });
    const proxyStats = proxy.stats();
    let unpaced: { readonly run: Measurement; readonly stats: ProxyStats } | undefined;
    if (UNPACED) {
      proxy.resetStats();
      const run = await measurePlan({ configDir, endpoint: proxy.endpoint, now, pacing: false });
      unpaced = { run, stats: proxy.stats() };
    }
    // The plan's own work: no rate limits, no pacing.
    proxy.configure({ rateModel: false });
    proxy.resetStats();
    const own = await measurePlan({ configDir, endpoint: proxy.endpoint, now, pacing: false });
    const ownStats = proxy.stats();
    proxy.resetStats();
    const staged = await measurePlan({
      configDir,
      endpoint: proxy.endpoint,
      now,
      phases: true,
      pacing: false,
    });
    const stagedStats = proxy.stats();
    // No latency at all: what is left is the plan's own CPU (and the proxy's), its floor here.
    proxy.configure({ latencyMs: 0 });
    const atZero = await measurePlan({
      configDir,
      endpoint: proxy.endpoint,
      now,
      phases: true,
      pacing: false,
    });
    await proxy.close();

    // ── 3. figures ──────────────────────────────────────────────────────────────────────────
    const lookups = {
      accountInstances: drift.accountInstances,
      ids: drift.strays + fleet.containerInstances,
      taskDefinitionsToPlace: toPlace,
    };
    const bounds = callBounds(fleet, lookups);
    const table = rows(measured, bounds);
    const caps = covered(measured);
    const inScope = table.filter(
      (r) =>
        r.bound !== undefined &&
        caps.includes(bounds.find((b) => b.operation === r.operation)?.capability as Capability),
    );
    const callsTotal = table.reduce((n, r) => n + r.calls, 0);
    const boundTotal = inScope.reduce((n, r) => n + (r.bound ?? 0), 0);
    const outside = table.filter((r) => r.bound === undefined && r.calls > 0);
    const path = criticalPath(fleet, lookups);
    const criticalMs = path.rounds * LATENCY;
    const rates = rateFloor(
      inScope.map((r) => ({ operation: r.operation, calls: r.bound ?? 0 })),
      LATENCY,
      path.rounds,
    );
    const cold: ColdStart = await measureColdStart(COLD_RUNS);

    const lines: string[] = [];
    const out = (line = '') => lines.push(line);
    out(`# Fleet bench: one plan`);
    out();
    out(
      `Fleet: ${fleet.groupNames.length} groups (+${fleet.capacityGroups.length} ECS capacity groups), ` +
        `${drift.accountInstances} instances, ${fleet.clusterNames.length} ECS clusters × ${size.services} services ` +
        `(${fleet.containerInstances} container instances, ${fleet.taskDefinitions} task definitions), ` +
        `${fleet.metricQueries} metric queries, ${fleet.targetGroupArns.length} target groups; ` +
        `${fleet.policies} policies, ${fleet.alarms} alarms, ${fleet.schedules} scheduled actions.`,
    );
    out(
      `Plan: ${Object.entries(measured.summary)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}; ${measured.errors.length} errors, ${measured.warnings} warnings.`,
    );
    out(`Capabilities the plan covered: ${caps.join(', ') || 'none'}.`);
    const missing = (Object.keys(CAPABILITY_OPS) as Capability[]).filter((c) => !caps.includes(c));
    if (missing.length > 0) out(`Not covered (no calls made): ${missing.join(', ')}.`);
    out();
    const inScopeCalls = inScope.reduce((n, r) => n + r.calls, 0);
    const attemptsOf = (m: Measurement) => Object.values(m.attempts).reduce((a, b) => a + b, 0);
    out(`## One plan on AWS's rate limits (${LATENCY} ms per request, the rate model on, paced)`);
    out();
    out('| | measured | best possible | ratio | target |');
    out('|---|---:|---:|---:|---|');
    out(
      `| AWS API calls (covered capabilities) | ${inScopeCalls} | ${boundTotal} (honest lower bound) | ${ratio(inScopeCalls, boundTotal)} | ≤ ${CALLS_TARGET}: ${inScopeCalls <= boundTotal * CALLS_TARGET ? 'met' : 'MISSED'} |`,
    );
    out(
      `| Wall time | ${s1(measured.wallMs / 1000)} | ${s1(rates.ms / 1000)} (rate-limit floor) | ${ratio(measured.wallMs, rates.ms)} | ≤ ${RATE_WALL_TARGET}: ${measured.wallMs <= rates.ms * RATE_WALL_TARGET ? 'met' : 'MISSED'} |`,
    );
    out(
      `| Throttling errors seen | ${proxyStats.totalThrottled} | 0 | | 0: ${proxyStats.totalThrottled === 0 ? 'met' : 'MISSED'} |`,
    );
    out(`| HTTP attempts (retries included) | ${attemptsOf(measured)} | ${boundTotal} | | |`);
    out(`| CPU of the plan's process | ${s1(measured.cpuMs / 1000)} | | | |`);
    out();
    out(
      `Rate-limit floor = max( max over AWS's buckets b of ((N_b − B_b)⁺ / r_b + L), R × L ) = ${s1(rates.ms / 1000)}: ` +
        `N_b the honest bound's calls that take a token of bucket b, B_b its burst and r_b its refill per second ` +
        `(src/aws/rates.ts, each figure with its AWS source; every bucket full at the start, an idle account), ` +
        `L = ${LATENCY} ms per request, R = ${path.rounds} dependent round trips (${path.chain}) = ${s1(rates.chainMs / 1000)}. ` +
        `Each term alone is a lower bound. The buckets that cost more than one round trip:`,
    );
    out();
    for (const b of rates.buckets.filter((d) => d.ms > LATENCY)) out(`- ${describeBucket(b)}`);
    if (rates.buckets.every((d) => d.ms <= LATENCY))
      out('- none: every bucket holds the calls in its burst.');
    out();
    const waited = measured.pacing;
    out(
      `Pacing (src/aws/pacing.ts, the same buckets on our side): ${Object.values(waited?.waited ?? {}).reduce((a, b) => a + b, 0)} ` +
        `requests waited for a token, ${s1((waited?.waitedMs ?? 0) / 1000)} summed over them` +
        (waited === undefined || Object.keys(waited.waited).length === 0
          ? '.'
          : ` (${Object.entries(waited.waited)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}).`),
    );
    if (unpaced !== undefined) {
      out(
        `Without pacing, the same rate model: ${unpaced.stats.totalThrottled} throttling errors ` +
          `(${Object.entries(unpaced.stats.throttled)
            .map(([k, v]) => `${k} ${v}`)
            .join(
              ', ',
            )}), ${attemptsOf(unpaced.run)} HTTP attempts for ${Object.values(unpaced.run.calls).reduce((a, b) => a + b, 0)} calls, ` +
          `wall ${s1(unpaced.run.wallMs / 1000)}, CPU ${s1(unpaced.run.cpuMs / 1000)}, ${unpaced.run.errors.length} plan errors` +
          (unpaced.run.errors.length > 0 ? ` (${unpaced.run.errors[0]?.slice(0, 160)})` : '') +
          '.',
      );
    }
    out();
    out(`## API calls per operation (AWS paging emulated on moto)`);
    out();
    out('| operation | calls | HTTP attempts | lower bound | ratio | bound from |');
    out('|---|---:|---:|---:|---:|---|');
    for (const r of table) {
      out(
        `| ${r.operation} | ${r.calls} | ${r.attempts} | ${r.bound ?? '-'} | ${r.bound === undefined ? '-' : ratio(r.calls, r.bound)} | ${r.why} |`,
      );
    }
    out(
      `| **total** | **${callsTotal}** | ${Object.values(measured.attempts).reduce((a, b) => a + b, 0)} | **${boundTotal}** | **${ratio(inScopeCalls, boundTotal)}** | covered capabilities; ${outside.length} operation(s) without a bound |`,
    );
    out();
    out(
      `Calls vs lower bound (covered capabilities): ${inScopeCalls} / ${boundTotal} = ${ratio(inScopeCalls, boundTotal)} ` +
        `(target ≤ ${CALLS_TARGET}: ${inScopeCalls <= boundTotal * CALLS_TARGET ? 'met' : 'MISSED'}). ` +
        `Requests the proxy saw: ${proxyStats.totalRequests}` +
        (measured.emulationFetches > 0
          ? `, of which ${measured.emulationFetches} the paging emulation's own reads of moto's DescribeInstances pages (in HTTP attempts, not in calls).`
          : '.'),
    );
    out();
    out(`## The plan's own work (no rate limits, no pacing)`);
    out();
    const phases = staged.phases;
    const motoBusy = Object.values(motoStats.upstreamMs).reduce((a, b) => a + b, 0);
    out('| | ms |');
    out('|---|---:|');
    out(
      `| **plan at ${LATENCY} ms per request** (moto's recorded answers replayed: no emulator time; ${ownStats.replayed} of ${ownStats.totalRequests} requests) | **${own.wallMs.toFixed(0)}** |`,
    );
    out(`| of which CPU time of the plan's process | ${own.cpuMs.toFixed(0)} |`);
    if (phases !== undefined) {
      out(
        `| stages (a second run, timed stage by stage; ${stagedStats.replayed} of ${stagedStats.totalRequests} answers replayed): load + validate config ${phases.loadConfig.toFixed(0)}, desired ${phases.buildDesired.toFixed(0)}, **observe ${phases.observe.toFixed(0)}**, plan ${phases.plan.toFixed(0)} | ${(phases.loadConfig + phases.buildDesired + phases.observe + phases.plan).toFixed(0)} |`,
      );
    }
    const floorPhases = atZero.phases;
    out(
      `| the same plan at 0 ms per request (answers replayed; what remains is the plan's own work${
        floorPhases === undefined
          ? ''
          : `: load + validate config ${floorPhases.loadConfig.toFixed(0)}, observe ${floorPhases.observe.toFixed(0)}, plan ${floorPhases.plan.toFixed(0)}`
      }; CPU ${atZero.cpuMs.toFixed(0)}) | ${atZero.wallMs.toFixed(0)} |`,
    );
    out(
      `| critical-path bound: ${path.rounds} sequential round trips × ${LATENCY} ms (${path.chain}) | ${criticalMs} |`,
    );
    out(
      `| for scale: the same plan live on moto at 0 ms (one Python process: its answers took ${(motoBusy / 1000).toFixed(0)} s summed over requests, queueing included) | ${floor.wallMs.toFixed(0)} |`,
    );
    out();
    out(
      `Without rate limits, wall time at ${LATENCY} ms vs critical path: ${ratio(own.wallMs, criticalMs)}× ` +
        `(the earlier target ≤ ${WALL_TARGET}×: ${own.wallMs <= criticalMs * WALL_TARGET ? 'met' : 'MISSED'})` +
        (phases === undefined
          ? '.'
          : `; the AWS reads alone (observe): ${ratio(phases.observe, criticalMs)}× ` +
            `(${phases.observe <= criticalMs * WALL_TARGET ? 'met' : 'MISSED'}).`),
    );
    out();
    out(`## Memory (the plan's own process)`);
    out();
    out(
      `Peak RSS during the plan ${mb(measured.peakRss)} (${mb(measured.rssBeforePlan)} before it: Node and the modules), ` +
        `peak heap used ${mb(measured.peakHeapUsed)}, maxRSS of the process ${mb(measured.maxRss)}.`,
    );
    out();
    out('## Cold start of the bundle');
    out();
    // The same lines `npm run bench:cold` prints: each command beside `node -e 0` of the same run.
    out(['```', ...coldStartLines(cold), '```'].join('\n'));
    out();
    out(
      `Seeding took ${s1(seedSeconds)}; the whole bench ${s1((performance.now() - started) / 1000)}. Node ${process.version}, ` +
        `${(await import('node:os')).cpus().length} CPUs.`,
    );
    const text = lines.join('\n');
    process.stdout.write(`${text}\n`);
    await writeFile(`${OUT}.md`, `${text}\n`);
    await writeFile(
      `${OUT}.json`,
      `${JSON.stringify(
        {
          size,
          fleet: {
            groups: fleet.groupNames.length,
            capacityGroups: fleet.capacityGroups.length,
            instances: drift.accountInstances,
            clusters: fleet.clusterNames.length,
            services: fleet.services,
            containerInstances: fleet.containerInstances,
            taskDefinitions: fleet.taskDefinitions,
            metricQueries: fleet.metricQueries,
            targetGroups: fleet.targetGroupArns.length,
            policies: fleet.policies,
            alarms: fleet.alarms,
            schedules: fleet.schedules,
          },
          capabilities: caps,
          calls: table,
          callsTotal,
          callsInScope: inScopeCalls,
          boundTotal,
          latencyMs: LATENCY,
          onAwsRates: {
            wallMs: measured.wallMs,
            cpuMs: measured.cpuMs,
            floorMs: rates.ms,
            floorBucketMs: rates.bucketMs,
            floorChainMs: rates.chainMs,
            floorBuckets: rates.buckets.map((b) => ({
              bucket: b.bucket.name,
              calls: b.calls,
              burst: b.bucket.burst,
              perSecond: b.bucket.perSecond,
              ms: b.ms,
            })),
            throttled: proxyStats.totalThrottled,
            attempts: attemptsOf(measured),
            pacing: measured.pacing,
            ...(unpaced === undefined
              ? {}
              : {
                  unpaced: {
                    wallMs: unpaced.run.wallMs,
                    cpuMs: unpaced.run.cpuMs,
                    throttled: unpaced.stats.throttled,
                    attempts: attemptsOf(unpaced.run),
                    errors: unpaced.run.errors.length,
                  },
                }),
          },
          wall: {
            atLatencyMs: own.wallMs,
            cpuMs: own.cpuMs,
            phases: staged.phases,
            criticalPathMs: criticalMs,
            atZeroLatency: { wallMs: atZero.wallMs, cpuMs: atZero.cpuMs, phases: atZero.phases },
            rounds: path.rounds,
            chain: path.chain,
            liveOnMotoAtZeroMs: floor.wallMs,
            motoBusyMs: motoBusy,
          },
          memory: {
            peakRss: measured.peakRss,
            peakHeapUsed: measured.peakHeapUsed,
            maxRss: measured.maxRss,
            rssBeforePlan: measured.rssBeforePlan,
          },
          coldStart: cold,
          plan: {
            summary: measured.summary,
            changes: measured.changes,
            errors: measured.errors,
            warnings: measured.warnings,
          },
          seeding: {
            seconds: seedSeconds,
            steps: fleet.timings,
            firstApply: { seconds: applySeconds, changes: applied.plan.changes.length, writes },
          },
          proxy: { measured: proxyStats, ownWork: ownStats, liveOnMoto: motoStats },
          warningSamples: measured.warningSamples,
          node: process.version,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`\nwritten: ${OUT}.md, ${OUT}.json\n`);
  } finally {
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
