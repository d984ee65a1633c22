/**
 * Metric sources of the ECS services (issue 4): every metric of the run read at once, CloudWatch
 * per scope in GetMetricData batches (cloudwatch.ts), HTTP JSON once per distinct request
 * (http.ts). The result is keyed by MetricSpec.key; a metric that cannot be read is unknown with
 * the reason, never a number.
 */
import type { AwsClients } from '../aws/clients.ts';
import {
  type AwsScope,
  type CloudWatchMetricSpec,
  type DesiredCluster,
  type HttpMetricSpec,
  type Known,
  type MetricSpec,
  type MetricValue,
  scopeKey,
  unknown,
} from '../model.ts';
import { readCloudWatchMetrics } from './cloudwatch.ts';
import { type HttpOptions, readHttpMetrics } from './http.ts';

export { displayUrl } from './http.ts';

export interface MetricReadOptions extends HttpOptions {
  /** The clock of the CloudWatch windows; default the time of the call. */
  readonly now?: Date;
}

/** The metrics of the enabled services of the enabled clusters. */
export function metricSpecs(clusters: readonly DesiredCluster[]): MetricSpec[] {
  return clusters
    .filter((c) => c.enabled)
    .flatMap((c) => c.services.filter((s) => s.enabled).flatMap((s) => s.metrics));
}

export async function readMetrics(
  specs: readonly MetricSpec[],
  clientsFor: (scope: AwsScope) => AwsClients,
  options: MetricReadOptions = {},
): Promise<Map<string, Known<MetricValue>>> {
  const now = options.now ?? new Date();
  const byScope = new Map<string, { scope: AwsScope; specs: CloudWatchMetricSpec[] }>();
  const http: HttpMetricSpec[] = [];
  for (const spec of specs) {
    if (spec.kind === 'http') {
      http.push(spec);
      continue;
    }
    const key = scopeKey(spec.scope);
    const entry = byScope.get(key) ?? { scope: spec.scope, specs: [] };
    entry.specs.push(spec);
    byScope.set(key, entry);
  }
  const reads: Promise<Map<string, Known<MetricValue>>>[] = [
    ...[...byScope.values()].map(({ scope, specs: scoped }) =>
      readCloudWatchMetrics(clientsFor(scope), scoped, now).catch((error: unknown) =>
        failAll(scoped, `CloudWatch could not be read: ${String(error)}`),
      ),
    ),
    ...(http.length === 0 ? [] : [readHttpMetrics(http, options)]),
  ];
  const out = new Map<string, Known<MetricValue>>();
  for (const part of await Promise.all(reads)) for (const [key, value] of part) out.set(key, value);
  return out;
}

function failAll(specs: readonly MetricSpec[], reason: string): Map<string, Known<MetricValue>> {
  return new Map(specs.map((s) => [s.key, unknown<MetricValue>(reason)]));
}
