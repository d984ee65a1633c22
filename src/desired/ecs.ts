/**
 * Validated cluster files → DesiredCluster (issue 4): the ECS cluster (the file's `cluster`,
 * else its stem), its services with their metric sources and compiled events, and its capacity
 * settings. Defaults as the schema documents them: enabled true, cooldown 300 s, period 300 s,
 * method GET, timeout 10 s, buffers 0.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../config/diagnostics.ts';
import type { ValidatedCluster } from '../config/index.ts';
import type { SourceFile } from '../config/load.ts';
import { locate, type Path } from '../config/positions.ts';
import type { ClusterFile, ServiceConfig } from '../config/types.ts';
import { compileExpression } from '../expr/index.ts';
import {
  type AwsScope,
  type CloudWatchMetricSpec,
  type DesiredCapacity,
  type DesiredCluster,
  type DesiredEvent,
  type DesiredService,
  type HttpMetricSpec,
  type HttpRequestSpec,
  type MetricSpec,
  type Origin,
  scopeKey,
} from '../model.ts';

export const ECS_DEFAULTS = Object.freeze({
  cooldown: 300,
  period: 300,
  method: 'GET' as const,
  timeoutSeconds: 10,
  cpuBuffer: 0,
  memBuffer: 0,
});

/** One DesiredCluster per file with `services` or `autoscale_group`; one cluster per name in a run. */
export function buildClusters(
  clusters: readonly ValidatedCluster[],
  options: { readonly region?: string },
  diagnostics: Diagnostic[],
): DesiredCluster[] {
  const out: DesiredCluster[] = [];
  for (const { file, config, cluster } of clusters) {
    const services = Object.keys(config.services ?? {});
    if (services.length === 0 && config.autoscale_group === undefined) continue;
    const key = services.length > 0 ? ['services'] : ['autoscale_group'];
    const region = config.region ?? options.region;
    if (region === undefined) {
      diagnostics.push({
        ...locate(file, key, { key: true }),
        severity: 'error',
        message: `no AWS region for ECS cluster ${cluster}: set \`region:\` in the file, --region, AWS_REGION or the AWS profile region`,
      });
      continue;
    }
    const scope: AwsScope = {
      region,
      ...(config.role_arn === undefined ? {} : { roleArn: config.role_arn }),
    };
    // Addresses (`<cluster>/services/<name>`) key the plan and apply's results: the same cluster
    // name in two regions or accounts would give two services one address.
    const first = out.find((c) => c.name === cluster);
    if (first !== undefined) {
      diagnostics.push({
        ...locate(file, key, { key: true }),
        severity: 'error',
        message: `ECS cluster ${cluster} is also configured at ${first.origin.file}:${first.origin.line}; give the files different cluster: names`,
      });
      continue;
    }
    out.push(desiredCluster({ file, cluster, scope }, config, diagnostics));
  }
  return out;
}

export interface ClusterSource {
  readonly file: SourceFile;
  readonly cluster: string;
  readonly scope: AwsScope;
}

export function desiredCluster(
  source: ClusterSource,
  config: ClusterFile,
  diagnostics: Diagnostic[] = [],
): DesiredCluster {
  const capacity = desiredCapacity(source, config);
  return {
    name: source.cluster,
    scope: source.scope,
    origin: 'cluster' in config ? origin(source.file, ['cluster']) : { file: source.file.path, line: 1 },
    enabled: config.enabled ?? true,
    services: Object.entries(config.services ?? {}).map(([name, service]) =>
      desiredService(source, name, service, diagnostics),
    ),
    ...(capacity === undefined ? {} : { capacity }),
  };
}

function desiredCapacity(source: ClusterSource, config: ClusterFile): DesiredCapacity | undefined {
  const group = config.autoscale_group;
  if (group === undefined) return undefined;
  return {
    address: `${source.cluster}/capacity/${group}`,
    group,
    origin: origin(source.file, ['autoscale_group']),
    cpuBuffer: config.cpu_buffer ?? ECS_DEFAULTS.cpuBuffer,
    memBuffer: config.mem_buffer ?? ECS_DEFAULTS.memBuffer,
    ...(config.min === undefined ? {} : { min: config.min }),
    ...(config.max === undefined ? {} : { max: config.max }),
  };
}

function desiredService(
  source: ClusterSource,
  name: string,
  config: ServiceConfig,
  diagnostics: Diagnostic[],
): DesiredService {
  const at = (...path: Path): Origin => origin(source.file, ['services', name, ...path]);
  const metrics: MetricSpec[] = [];
  const cloudwatch = (): void => {
    (config.metric_sources?.cloudwatch ?? []).forEach((cw, i) => {
      cw.statistics.forEach((statistic, j) => {
        const spec: Omit<CloudWatchMetricSpec, 'key'> = {
          kind: 'cloudwatch',
          alias: statistic.alias,
          origin: at('metric_sources', 'cloudwatch', i, 'statistics', j),
          scope: source.scope,
          namespace: cw.namespace,
          metricName: cw.metric_name,
          dimensions: (cw.dimensions ?? []).map((d) => ({ name: d.name, value: d.value })),
          period: cw.period ?? ECS_DEFAULTS.period,
          ...(cw.unit === undefined ? {} : { unit: cw.unit }),
          statistic: statistic.name,
        };
        metrics.push({ ...spec, key: cloudWatchKey(spec) });
      });
    });
  };
  const thirdParty = (): void => {
    (config.metric_sources?.third_party ?? []).forEach((tp, i) => {
      const method = tp.method ?? ECS_DEFAULTS.method;
      // A GET sends no body (validation warns about a payload there).
      const payload = method === 'POST' ? (tp.payload ?? null) : null;
      const headers = tp.headers ?? {};
      const request: HttpRequestSpec = {
        key: hash(['http', method, tp.url, payload, sortedEntries(headers)]),
        url: tp.url,
        method,
        payload,
        headers,
        timeoutMs: Math.round((tp.timeout ?? ECS_DEFAULTS.timeoutSeconds) * 1000),
      };
      tp.statistics.forEach((statistic, j) => {
        const spec: HttpMetricSpec = {
          kind: 'http',
          alias: statistic.alias,
          origin: at('metric_sources', 'third_party', i, 'statistics', j),
          key: `${request.key}#${statistic.name}`,
          request,
          path: statistic.name,
        };
        metrics.push(spec);
      });
    });
  };
  // Aliases in the order the YAML lists their sources (decisions show them so).
  for (const kind of Object.keys(config.metric_sources ?? {})) {
    if (kind === 'cloudwatch') cloudwatch();
    else if (kind === 'third_party') thirdParty();
  }
  const variables = new Set(metrics.map((m) => m.alias));
  const events: DesiredEvent[] = [];
  (config.events ?? []).forEach((event, index) => {
    const compiled = compileExpression(event.metric, { variables });
    if (!compiled.ok) {
      // Validation compiles every event first; this only guards callers that skip it.
      diagnostics.push({
        ...locate(source.file, ['services', name, 'events', index, 'metric']),
        severity: 'error',
        message: compiled.message,
      });
      return;
    }
    events.push({
      index,
      origin: at('events', index),
      metric: compiled.expression,
      min: event.min ?? null,
      max: event.max ?? null,
      action: event.action,
    });
  });
  return {
    address: `${source.cluster}/services/${name}`,
    name,
    cluster: source.cluster,
    origin: at(),
    enabled: config.enabled ?? true,
    min: config.min,
    max: config.max,
    cooldown: config.cooldown ?? ECS_DEFAULTS.cooldown,
    metrics,
    events,
  };
}

function cloudWatchKey(spec: Omit<CloudWatchMetricSpec, 'key'>): string {
  return JSON.stringify([
    'cloudwatch',
    scopeKey(spec.scope),
    spec.namespace,
    spec.metricName,
    // CloudWatch matches dimensions as a set.
    [...spec.dimensions].map((d) => [d.name, d.value]).sort(),
    spec.period,
    spec.unit ?? null,
    spec.statistic,
  ]);
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record)
    .map(([k, v]): [string, string] => [k.toLowerCase(), v])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A key that identifies a request without holding its URL or headers (they may hold secrets). */
function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

/** The line of the object's key, where a reader looks for it. */
function origin(file: SourceFile, path: Path): Origin {
  const { line } = locate(file, path, { key: true });
  return { file: file.path, line };
}
