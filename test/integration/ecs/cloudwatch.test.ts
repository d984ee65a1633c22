/** GetMetricData batching against moto: 500 queries per call, one window per period, shared series read once. */
import { describe, expect, it } from 'vitest';
import { readCloudWatchMetrics } from '../../../src/metrics/cloudwatch.ts';
import type { CloudWatchMetricSpec } from '../../../src/model.ts';
import { TEST_REGION, useMoto } from '../../support/moto.ts';
import { putMetricData } from '../../support/seed.ts';
import { lastCompletePeriod, NOW } from './harness.ts';

const moto = useMoto();

function spec(n: number, period = 60, statistic = 'Maximum'): CloudWatchMetricSpec {
  const dimensions = [{ name: 'Shard', value: `s${n}` }];
  return {
    kind: 'cloudwatch',
    alias: `a${n}`,
    origin: { file: 'f.yml', line: 1 },
    key: JSON.stringify([n, period, statistic]),
    scope: { region: TEST_REGION },
    namespace: 'Custom/Shards',
    metricName: 'Depth',
    dimensions,
    period,
    statistic,
  };
}

describe('GetMetricData batching', () => {
  it('reads 501 queries in 2 calls and maps each result back by id', async () => {
    await putMetricData(moto.clients(), 'Custom/Shards', 'Depth', [
      { value: 7, timestamp: lastCompletePeriod(60), dimensions: { Shard: 's0' } },
      { value: 9, timestamp: lastCompletePeriod(60), dimensions: { Shard: 's500' } },
    ]);
    const clients = moto.clients();
    const specs = Array.from({ length: 501 }, (_, i) => spec(i));
    const out = await readCloudWatchMetrics(clients, specs, NOW);
    expect(clients.counter.snapshot()).toEqual({ 'CloudWatch:GetMetricData': 2 });
    expect(out.get(specs[0]?.key ?? '')).toMatchObject({ known: true, value: { value: 7 } });
    expect(out.get(specs[500]?.key ?? '')).toMatchObject({ known: true, value: { value: 9 } });
    expect(out.get(specs[1]?.key ?? '')).toMatchObject({ known: false });
    expect(out.size).toBe(501);
  });

  it('makes one call per period and one query per distinct key', async () => {
    const clients = moto.clients();
    const specs = [spec(1, 60), spec(1, 60), spec(2, 60, 'Average'), spec(3, 300)];
    const out = await readCloudWatchMetrics(clients, specs, NOW);
    expect(clients.counter.snapshot()).toEqual({ 'CloudWatch:GetMetricData': 2 });
    expect(out.size).toBe(3);
    expect(out.get(specs[3]?.key ?? '')).toEqual({
      known: false,
      reason: expect.stringMatching(
        /^no complete datapoint of Custom\/Shards Depth Maximum in the last 3 periods of 300 s \(15 min before /,
      ),
    });
  });

  it('marks every query of a failed call unknown, with the reason', async () => {
    const clients = moto.clients({ endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const out = await readCloudWatchMetrics(clients, [spec(1)], NOW);
    expect(out.get(spec(1).key)).toMatchObject({
      known: false,
      reason: expect.stringMatching(/^GetMetricData failed: /),
    });
  });
});
