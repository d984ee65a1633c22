/**
 * `cloudwatch` metric sources: every statistic of every service of a scope read through
 * GetMetricData, up to 500 queries per call (ids m0, m1, ...; one query per distinct
 * metric + statistic + period + unit: services asking for the same series share it).
 *
 * The value used is the LATEST COMPLETE DATAPOINT: queries of one period P share a window that
 * ends at `now` rounded down to a multiple of P and starts max(3, ceil(300 / P)) periods earlier
 * (at least three periods and at least five minutes, for metrics that publish late). CloudWatch
 * labels a datapoint with the start of its period, so every datapoint in that window belongs to a
 * period that has ENDED by `now`; the newest of them is the value. The period `now` falls in is
 * never used: it is still collecting data and its Sum, SampleCount or Average would be partial.
 * No datapoint in the window: the metric has "no data" and the services reading it are not
 * scaled this run.
 */
import { GetMetricDataCommand, type MetricDataQuery, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { chunk, paginateByToken, settleWithConcurrency } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import {
  type CloudWatchMetricSpec,
  type Known,
  known,
  type MetricPoint,
  type MetricValue,
  unknown,
} from '../model.ts';

export const MAX_QUERIES_PER_CALL = 500;
export const LOOKBACK_PERIODS = 3;
export const MIN_LOOKBACK_SECONDS = 300;
/** GetMetricData calls in flight at once per scope. */
export const METRIC_CONCURRENCY = 4;

export interface MetricWindow {
  readonly start: Date;
  /** `now` rounded down to a multiple of the period: every period in the window has ended. */
  readonly end: Date;
  readonly periods: number;
}

export function metricWindow(period: number, now: Date): MetricWindow {
  const ms = period * 1000;
  const end = Math.floor(now.getTime() / ms) * ms;
  const periods = Math.max(LOOKBACK_PERIODS, Math.ceil(MIN_LOOKBACK_SECONDS / period));
  return { start: new Date(end - periods * ms), end: new Date(end), periods };
}

/**
 * The newest datapoint whose period ended by `window.end`, with the window's complete datapoints
 * (oldest first); undefined when there is none.
 */
export function latestComplete(
  timestamps: readonly Date[],
  values: readonly number[],
  period: number,
  window: MetricWindow,
): MetricValue | undefined {
  const points: { t: number; value: number }[] = [];
  timestamps.forEach((at, i) => {
    const value = values[i];
    const t = at.getTime();
    if (value === undefined || !Number.isFinite(value)) return;
    if (t < window.start.getTime() || t + period * 1000 > window.end.getTime()) return;
    points.push({ t, value });
  });
  if (points.length === 0) return undefined;
  points.sort((a, b) => a.t - b.t);
  const series: MetricPoint[] = points.map((p) => ({ at: new Date(p.t).toISOString(), value: p.value }));
  const last = series[series.length - 1] as MetricPoint;
  return { value: last.value, at: last.at, series };
}

/** One scope's CloudWatch metrics: by spec key, a value or why there is none. */
export async function readCloudWatchMetrics(
  clients: AwsClients,
  specs: readonly CloudWatchMetricSpec[],
  now: Date,
): Promise<Map<string, Known<MetricValue>>> {
  // One query per distinct key, grouped by period: a call's window is shared by its queries.
  const byPeriod = new Map<number, Map<string, CloudWatchMetricSpec>>();
  for (const spec of specs) {
    const queries = byPeriod.get(spec.period) ?? new Map<string, CloudWatchMetricSpec>();
    if (!queries.has(spec.key)) queries.set(spec.key, spec);
    byPeriod.set(spec.period, queries);
  }
  const calls: { period: number; window: MetricWindow; queries: CloudWatchMetricSpec[] }[] = [];
  for (const [period, queries] of [...byPeriod].sort(([a], [b]) => a - b)) {
    const window = metricWindow(period, now);
    for (const batch of chunk([...queries.values()], MAX_QUERIES_PER_CALL)) {
      calls.push({ period, window, queries: batch });
    }
  }
  const settled = await settleWithConcurrency(calls, METRIC_CONCURRENCY, (call) =>
    getMetricData(clients, call.queries, call.window),
  );
  const out = new Map<string, Known<MetricValue>>();
  calls.forEach((call, i) => {
    const result = settled[i];
    if (result === undefined || result.status === 'rejected') {
      const reason = `GetMetricData failed: ${reasonText(result?.reason)}`;
      for (const spec of call.queries) out.set(spec.key, unknown(reason));
      return;
    }
    call.queries.forEach((spec, j) => {
      const data = result.value.get(queryId(j));
      if (data === undefined) {
        out.set(spec.key, unknown('CloudWatch returned no result for this query'));
      } else if (data.status !== undefined && data.status !== 'Complete' && data.status !== 'PartialData') {
        out.set(
          spec.key,
          unknown(`CloudWatch answered ${data.status}${data.message ? `: ${data.message}` : ''}`),
        );
      } else {
        const value = latestComplete(data.timestamps, data.values, call.period, call.window);
        out.set(spec.key, value === undefined ? unknown(noDataText(spec, call.window)) : known(value));
      }
    });
  });
  return out;
}

export function queryId(index: number): string {
  return `m${index}`;
}

interface QueryData {
  timestamps: Date[];
  values: number[];
  status?: string;
  message?: string;
}

/** One GetMetricData (and its further pages, if CloudWatch splits the answer): results by id. */
async function getMetricData(
  clients: AwsClients,
  specs: readonly CloudWatchMetricSpec[],
  window: MetricWindow,
): Promise<Map<string, QueryData>> {
  const queries: MetricDataQuery[] = specs.map((spec, i) => ({
    Id: queryId(i),
    MetricStat: {
      Metric: {
        Namespace: spec.namespace,
        MetricName: spec.metricName,
        Dimensions: spec.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
      },
      Period: spec.period,
      Stat: spec.statistic,
      // The schema allows only CloudWatch's units.
      ...(spec.unit === undefined ? {} : { Unit: spec.unit as StandardUnit }),
    },
    ReturnData: true,
  }));
  const results = await paginateByToken(async (token) => {
    const page = await clients.cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: window.start,
        EndTime: window.end,
        ScanBy: 'TimestampDescending',
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: page.MetricDataResults, nextToken: page.NextToken };
  });
  const out = new Map<string, QueryData>();
  for (const result of results) {
    const id = result.Id ?? '';
    const data = out.get(id) ?? { timestamps: [], values: [] };
    data.timestamps.push(...(result.Timestamps ?? []));
    data.values.push(...(result.Values ?? []));
    if (result.StatusCode !== undefined) data.status = result.StatusCode;
    const message = result.Messages?.map((m) => m.Value ?? m.Code ?? '').join('; ');
    if (message) data.message = message;
    out.set(id, data);
  }
  return out;
}

function noDataText(spec: CloudWatchMetricSpec, window: MetricWindow): string {
  const minutes = (window.end.getTime() - window.start.getTime()) / 60_000;
  return (
    `no complete datapoint of ${spec.namespace} ${spec.metricName} ${spec.statistic} in the last ` +
    `${window.periods} periods of ${spec.period} s (${minutes} min before ${window.end.toISOString()})`
  );
}

function reasonText(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
