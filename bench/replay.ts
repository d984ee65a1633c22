/**
 * Measures one plan again over a fleet saved by `npm run bench -- --save DIR`: no moto, no
 * seeding, moto's recorded answers served at --latency ms per request. For working on the plan's
 * own cost; the figures of record come from bench/fleet.ts.
 *
 *   node bench/replay.ts DIR [--latency 20] [--runs 3] [--phases] [--rate-model] [--unpaced]
 *
 * `--rate-model`: the proxy throttles as AWS does past its documented rates (src/aws/rates.ts);
 * requests are paced as the product paces them unless `--unpaced`.
 *   BENCH_CPU_PROF=/tmp/prof node bench/replay.ts DIR     (a V8 CPU profile of each plan)
 */
import { parseArgs } from 'node:util';
import { startAwsProxy } from '../test/support/aws-proxy.ts';
import { measurePlan } from './lib/measure.ts';
import { loadReplay } from './lib/replay.ts';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    latency: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    phases: { type: 'boolean', default: false },
    'rate-model': { type: 'boolean', default: false },
    unpaced: { type: 'boolean', default: false },
  },
});
const dir = positionals[0];
if (dir === undefined)
  throw new Error('usage: node bench/replay.ts DIR [--latency MS] [--runs N] [--phases]');
const saved = await loadReplay(dir);
// Nothing listens at the target: a request missing from the record fails loudly.
const proxy = await startAwsProxy({
  target: 'http://127.0.0.1:9',
  answers: 'replay',
  latencyMs: Number(flags.latency),
  rateModel: flags['rate-model'] === true ? {} : false,
});
proxy.importAnswers(saved.answers);
try {
  for (let run = 1; run <= Number(flags.runs); run++) {
    proxy.resetStats();
    const m = await measurePlan({
      configDir: saved.configDir,
      endpoint: proxy.endpoint,
      now: saved.now,
      phases: flags.phases,
      pacing: flags.unpaced !== true,
    });
    const stats = proxy.stats();
    const calls = Object.values(m.calls).reduce((a, b) => a + b, 0);
    const phases =
      m.phases === undefined
        ? ''
        : ` | load ${m.phases.loadConfig.toFixed(0)}, desired ${m.phases.buildDesired.toFixed(0)}, observe ${m.phases.observe.toFixed(0)}, plan ${m.phases.plan.toFixed(0)}`;
    process.stdout.write(
      `run ${run}: wall ${m.wallMs.toFixed(0)} ms, cpu ${m.cpuMs.toFixed(0)} ms, ${calls} calls, ` +
        `${stats.replayed}/${stats.totalRequests} replayed, ${stats.totalThrottled} throttled, ` +
        `${Object.values(m.summary).join('/')} changes, ${m.errors.length} errors, ` +
        `peak RSS ${(m.peakRss / 2 ** 20).toFixed(0)} MB${phases}\n`,
    );
  }
} finally {
  await proxy.close();
}
