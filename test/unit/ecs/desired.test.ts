/** YAML → DesiredCluster (src/desired/ecs.ts): names, defaults, shared metric keys, diagnostics. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../../src/config/load.ts';
import type { ClusterFile } from '../../../src/config/types.ts';
import { buildDesired } from '../../../src/desired/index.ts';
import { desiredFrom } from './fixtures.ts';

const YAML = `autoscale_group: ecs-asg
cpu_buffer: 256
min: 1
services:
  worker:
    min: 1
    max: 3
    metric_sources:
      third_party:
        - url: https://user:secret@rabbit.example/api/queues/celery
          statistics:
            - { name: messages_ready, alias: ready }
            - { name: message_stats.publish, alias: published }
      cloudwatch:
        - namespace: AWS/ECS
          metric_name: CPUUtilization
          dimensions: [ { name: ServiceName, value: worker }, { name: ClusterName, value: my_cluster } ]
          statistics: [ { name: Average, alias: cpu } ]
    events:
      - { metric: ready, action: 1, min: 5 }
      - { metric: "cpu / 80", action: -1, max: 0.2 }
  backend:
    enabled: false
    min: 0
    max: 2
    cooldown: 60
    metric_sources:
      third_party:
        - { url: "https://user:secret@rabbit.example/api/queues/celery", method: GET, timeout: 2.5, statistics: [ { name: messages_ready, alias: ready } ] }
      cloudwatch:
        - namespace: AWS/ECS
          metric_name: CPUUtilization
          dimensions: [ { name: ClusterName, value: my_cluster }, { name: ServiceName, value: worker } ]
          period: 300
          statistics: [ { name: Average, alias: cpu } ]
`;

describe('ECS clusters from YAML', () => {
  const desired = desiredFrom(YAML);
  const cluster = desired.clusters?.[0];
  const worker = cluster?.services[0];
  const backend = cluster?.services[1];

  it('names the cluster after the file and keeps its capacity settings with defaults', () => {
    expect(desired.clusters).toHaveLength(1);
    expect(cluster).toMatchObject({
      name: 'my_cluster',
      scope: { region: 'us-east-1' },
      enabled: true,
      capacity: {
        address: 'my_cluster/capacity/ecs-asg',
        group: 'ecs-asg',
        origin: { file: 'clusters/my_cluster.yml', line: 1 },
        cpuBuffer: 256,
        memBuffer: 0,
        min: 1,
      },
    });
    expect(cluster?.capacity?.max).toBeUndefined();
  });

  it('takes `cluster:` over the file name', () => {
    expect(desiredFrom(`cluster: other\n${YAML}`).clusters?.[0]?.name).toBe('other');
  });

  it('applies the service defaults and keeps metrics in YAML order', () => {
    expect(worker).toMatchObject({
      address: 'my_cluster/services/worker',
      enabled: true,
      min: 1,
      max: 3,
      cooldown: 300,
      origin: { line: 5 },
    });
    expect(worker?.metrics.map((m) => [m.kind, m.alias, m.origin.line])).toEqual([
      ['http', 'ready', 12],
      ['http', 'published', 13],
      ['cloudwatch', 'cpu', 18],
    ]);
    expect(worker?.metrics[2]).toMatchObject({ period: 300, statistic: 'Average', namespace: 'AWS/ECS' });
    expect(worker?.metrics[0]).toMatchObject({
      request: { method: 'GET', payload: null, headers: {}, timeoutMs: 10_000 },
      path: 'messages_ready',
    });
    expect(backend).toMatchObject({ enabled: false, cooldown: 60 });
  });

  it('compiles the events in order with their bounds (absent = null)', () => {
    expect(
      worker?.events.map((e) => [e.index, e.metric.source, e.min, e.max, e.action, e.origin.line]),
    ).toEqual([
      [0, 'ready', 5, null, 1, 20],
      [1, 'cpu / 80', null, 0.2, -1, 21],
    ]);
    expect(worker?.events[1]?.metric.evaluate({ cpu: 40 })).toBe(0.5);
  });

  it('gives identical metrics one key (dimension order does not matter; GET ignores the timeout)', () => {
    const [wReady, wPublished, wCpu] = worker?.metrics ?? [];
    const [bReady, bCpu] = backend?.metrics ?? [];
    expect(bCpu?.key).toBe(wCpu?.key);
    expect(bReady?.key).toBe(wReady?.key);
    expect(wPublished?.key).not.toBe(wReady?.key);
    if (wReady?.kind !== 'http' || wPublished?.kind !== 'http') throw new Error('http specs expected');
    expect(wPublished.request.key).toBe(wReady.request.key);
  });

  it('never puts the URL (and its credentials) in a key', () => {
    for (const spec of [...(worker?.metrics ?? []), ...(backend?.metrics ?? [])]) {
      expect(spec.key).not.toContain('secret');
      expect(spec.key).not.toContain('rabbit');
    }
  });

  it('keeps a disabled cluster, marked, so the plan can say it is not managed', () => {
    expect(desiredFrom(`enabled: false\n${YAML}`).clusters?.[0]?.enabled).toBe(false);
  });

  it('makes no cluster of a file without services or autoscale_group', () => {
    expect(desiredFrom('groups:\n  web: { min: 1 }\n').clusters).toBeUndefined();
  });
});

describe('ECS clusters across files', () => {
  const build = (files: [string, string][], region?: string) =>
    buildDesired(
      files.map(([path, yaml]) => {
        const { file } = parseSource(yaml, path);
        const config = file.data as ClusterFile;
        return { file, config, cluster: config.cluster ?? file.stem };
      }),
      region === undefined ? {} : { region },
    );

  it('needs a region', () => {
    const result = build([['clusters/a.yml', 'services:\n  s: { min: 0, max: 1 }\n']]);
    expect(result.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [
        1,
        'no AWS region for ECS cluster a: set `region:` in the file, --region, AWS_REGION or the AWS profile region',
      ],
    ]);
  });

  it('refuses the same cluster name from two files (their addresses would collide)', () => {
    const result = build(
      [
        ['clusters/a.yml', 'cluster: shared\nregion: eu-west-1\nservices:\n  s: { min: 0, max: 1 }\n'],
        ['clusters/b.yml', 'cluster: shared\nregion: us-east-1\nservices:\n  t: { min: 0, max: 1 }\n'],
      ],
      'us-east-1',
    );
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      'clusters/b.yml:3: ECS cluster shared is also configured at clusters/a.yml:1; give the files different cluster: names',
    ]);
    expect(result.desired.clusters?.map((c) => c.scope.region)).toEqual(['eu-west-1']);
  });
});
