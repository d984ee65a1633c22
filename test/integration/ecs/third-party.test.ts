/** third_party metric sources against a local node:http server: the reader alone, then the pipeline. */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readHttpMetrics } from '../../../src/metrics/http.ts';
import type { HttpMetricSpec, HttpRequestSpec } from '../../../src/model.ts';
import { render } from '../../../src/render/index.ts';
import { redact } from '../../../src/secrets.ts';
import { useMoto } from '../../support/moto.ts';
import { createEcsCluster, createEcsService } from '../../support/seed.ts';
import {
  actions,
  CLUSTER,
  describeService,
  json,
  type Recorded,
  useHarness,
  useHttpServer,
} from './harness.ts';

/** Routes of the test server. */
function route(req: Recorded, res: ServerResponse): unknown {
  const path = req.url.split('?')[0];
  switch (path) {
    case '/api/queues/celery':
      return json(res, {
        name: 'celery',
        messages_ready: 12,
        message_stats: { publish_details: { rate: 1.5 } },
      });
    case '/api/overview':
      return json(res, {
        queues: [
          { name: 'a', messages: 3 },
          { name: 'b', messages: 40 },
        ],
      });
    case '/auth':
      if (req.headers.authorization !== `Basic ${Buffer.from('rabbit:s3cr3t-p@ss').toString('base64')}`) {
        return json(res, { error: 'unauthorized' }, 401);
      }
      return json(res, { messages_ready: 7 });
    case '/post':
      if (
        req.method !== 'POST' ||
        req.headers['x-token'] !== 'tok-123' ||
        !req.headers['content-type']?.startsWith('application/json')
      ) {
        return json(res, { error: 'bad request' }, 400);
      }
      return json(res, { depth: (JSON.parse(req.body) as { queue: string }).queue === 'jobs' ? 30 : -1 });
    case '/slow':
      setTimeout(() => json(res, { messages_ready: 1 }), 1500);
      return;
    case '/huge':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"pad": "${'x'.repeat(1024 * 1024 + 10)}", "messages_ready": 1}`);
      return;
    case '/huge-chunked': {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      res.write('{"pad": "');
      for (let i = 0; i < 20; i++) res.write(chunk);
      res.end('"}');
      return;
    }
    case '/text':
      return json(res, { messages_ready: '12' });
    case '/html':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>maintenance</html>');
      return;
    case '/fail':
      return json(res, { error: 'boom' }, 503);
    case '/redirect':
      res.writeHead(302, { location: '/api/queues/celery' });
      res.end();
      return;
    case '/loop':
      res.writeHead(302, { location: '/loop' });
      res.end();
      return;
    case '/to-ftp':
      res.writeHead(301, { location: 'ftp://example.com/x' });
      res.end();
      return;
    default:
      if (path?.startsWith('/away')) {
        // `?to=<url>`: a redirect to another origin.
        const to = new URL(req.url, 'http://x').searchParams.get('to') ?? '';
        res.writeHead(307, { location: to });
        res.end();
        return;
      }
      return json(res, { error: 'not found' }, 404);
  }
}

const server = useHttpServer(route);
const other = useHttpServer((req, res) => json(res, { messages_ready: req.headers.authorization ? 999 : 5 }));

let keys = 0;
function spec(
  url: string,
  path: string,
  request: Partial<Omit<HttpRequestSpec, 'url' | 'key'>> = {},
): HttpMetricSpec {
  const key = `k${keys++}`;
  return {
    kind: 'http',
    alias: path,
    origin: { file: 'f.yml', line: 1 },
    key,
    path,
    request: {
      key: `${url} ${JSON.stringify(request)}`,
      url,
      method: 'GET',
      payload: null,
      headers: {},
      timeoutMs: 10_000,
      ...request,
    },
  };
}

async function readOne(s: HttpMetricSpec) {
  const out = await readHttpMetrics([s]);
  return out.get(s.key);
}

describe('reading third_party metrics', () => {
  it('reads nested fields and list items by dot path, one request per distinct request', async () => {
    const { url, requests } = server();
    const specs = [
      spec(`${url}/api/queues/celery`, 'messages_ready'),
      spec(`${url}/api/queues/celery`, 'message_stats.publish_details.rate'),
      spec(`${url}/api/overview`, 'queues.1.messages'),
    ];
    const out = await readHttpMetrics(specs);
    expect(specs.map((s) => out.get(s.key))).toEqual([
      { known: true, value: { value: 12 } },
      { known: true, value: { value: 1.5 } },
      { known: true, value: { value: 40 } },
    ]);
    expect(requests.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /api/overview',
      'GET /api/queues/celery',
    ]);
    expect(requests[0]?.headers.accept).toBe('application/json');
  });

  it('sends URL credentials as Basic authorization and never shows them', async () => {
    const { port, requests } = server();
    const good = await readOne(spec(`http://rabbit:s3cr3t-p%40ss@127.0.0.1:${port}/auth`, 'messages_ready'));
    expect(good).toEqual({ known: true, value: { value: 7 } });
    expect(requests[0]?.url).toBe('/auth');
    const bad = await readOne(spec(`http://rabbit:wrong-password@127.0.0.1:${port}/auth`, 'messages_ready'));
    expect(bad).toEqual({ known: false, reason: `GET http://127.0.0.1:${port}/auth: HTTP 401` });
  });

  it('POSTs the JSON payload with the given headers', async () => {
    const { url, requests } = server();
    const value = await readOne(
      spec(`${url}/post`, 'depth', {
        method: 'POST',
        payload: { queue: 'jobs' },
        headers: { 'X-Token': 'tok-123' },
      }),
    );
    expect(value).toEqual({ known: true, value: { value: 30 } });
    expect(requests[0]?.body).toBe('{"queue":"jobs"}');
  });

  it('gives up after the timeout', async () => {
    const { url } = server();
    const started = Date.now();
    const value = await readOne(spec(`${url}/slow`, 'messages_ready', { timeoutMs: 300 }));
    expect(value).toEqual({ known: false, reason: `GET ${url}/slow: no answer within 0.3 s` });
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('stops reading an answer larger than 1 MiB, declared or not', async () => {
    const { url } = server();
    expect(await readOne(spec(`${url}/huge`, 'messages_ready'))).toEqual({
      known: false,
      reason: `GET ${url}/huge: the answer is larger than 1 MiB`,
    });
    expect(await readOne(spec(`${url}/huge-chunked`, 'messages_ready'))).toEqual({
      known: false,
      reason: `GET ${url}/huge-chunked: the answer is larger than 1 MiB`,
    });
  });

  it('makes a value that is not a number, an answer that is not JSON and an HTTP error unreadable', async () => {
    const { url } = server();
    expect(await readOne(spec(`${url}/text`, 'messages_ready'))).toEqual({
      known: false,
      reason: `GET ${url}/text: "messages_ready" is text, not a number`,
    });
    expect(await readOne(spec(`${url}/html`, 'messages_ready'))).toEqual({
      known: false,
      reason: `GET ${url}/html: the answer is not JSON`,
    });
    expect(await readOne(spec(`${url}/fail`, 'messages_ready'))).toEqual({
      known: false,
      reason: `GET ${url}/fail: HTTP 503`,
    });
    expect(await readOne(spec(`${url}/api/queues/celery`, 'nope'))).toEqual({
      known: false,
      reason: `GET ${url}/api/queues/celery: the answer has no field "nope"`,
    });
  });

  it('follows a few redirects, to http(s) only', async () => {
    const { url } = server();
    expect(await readOne(spec(`${url}/redirect`, 'messages_ready'))).toEqual({
      known: true,
      value: { value: 12 },
    });
    expect(await readOne(spec(`${url}/loop`, 'messages_ready'))).toEqual({
      known: false,
      reason: `GET ${url}/loop: more than 5 redirects`,
    });
    expect(await readOne(spec(`${url}/to-ftp`, 'messages_ready'))).toEqual({
      known: false,
      reason: `GET ${url}/to-ftp: redirected to ftp: (only http and https are followed)`,
    });
  });

  it('drops the credentials on a redirect to another origin', async () => {
    const { port } = server();
    const target = `${other().url}/x`;
    const value = await readOne(
      spec(
        `http://rabbit:s3cr3t-p%40ss@127.0.0.1:${port}/away?to=${encodeURIComponent(target)}`,
        'messages_ready',
        {
          headers: { Authorization: 'Bearer tok' },
        },
      ),
    );
    expect(value).toEqual({ known: true, value: { value: 5 } });
    expect(other().requests[0]?.headers.authorization).toBeUndefined();
  });

  it('refuses a redirect into a link-local or metadata address, by address, by name, or by what a name resolves to', async () => {
    const { url } = server();
    const away = (to: string) =>
      spec(`${url}/away?to=${encodeURIComponent(to)}`, 'messages_ready', { timeoutMs: 5_000 });
    for (const [to, hit] of [
      ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', '169.254.169.254'],
      ['http://[fd00:ec2::254]/latest/meta-data/', 'fd00:ec2::254'],
      ['http://[fe80::1]/', 'fe80::1'],
      ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal'],
    ] as const) {
      const shown = new URL(to).toString();
      expect(await readOne(away(to))).toEqual({
        known: false,
        reason: `GET ${url}/away?to=${encodeURIComponent(to)}: redirected to ${shown}, a link-local or cloud metadata address (${hit}): not followed`,
      });
    }
    // A name resolving there (the resolver stands in for DNS): refused before any connection.
    const lookup = async (host: string) => (host === 'localhost' ? ['169.254.170.2'] : []);
    const named = away(`http://localhost:${other().port}/x`);
    const out = await readHttpMetrics([named], { lookup });
    expect(out.get(named.key)).toMatchObject({
      known: false,
      reason: expect.stringContaining('a link-local or cloud metadata address (169.254.170.2): not followed'),
    });
    expect(other().requests).toEqual([]);
  });

  it('refuses URLs that are not http(s) and reports an unreachable server by its error code', async () => {
    expect(await readOne(spec('file:///etc/passwd', 'x'))).toEqual({
      known: false,
      reason: 'GET file:///etc/passwd: only http and https URLs are read',
    });
    const { port } = other();
    const closed = await readOne(spec(`http://u:hunter22@127.0.0.1:${port + 1}/x`, 'x', { timeoutMs: 2000 }));
    expect(closed?.known).toBe(false);
    expect(JSON.stringify(closed)).not.toContain('hunter22');
  });
});

const moto = useMoto();
const run = useHarness(moto);

describe('third_party sources in the pipeline', () => {
  const yaml = (port: number) => `services:
  worker:
    min: 1
    max: 3
    metric_sources:
      third_party:
        - url: http://%(RABBIT_USER):%(RABBIT_PASS)@127.0.0.1:${port}/auth
          statistics: [ { name: messages_ready, alias: queue_length } ]
    events:
      - { metric: queue_length, action: 1, min: 5, max: null }
  backend:
    min: 1
    max: 3
    metric_sources:
      third_party:
        - url: http://%(RABBIT_USER):%(RABBIT_PASS)@127.0.0.1:${port}/auth
          statistics: [ { name: messages_ready, alias: ready } ]
        - url: http://127.0.0.1:${port}/fail
          statistics: [ { name: messages_ready, alias: failing } ]
    events:
      - { metric: ready - failing, action: 1, min: 5, max: null }
`;
  const env = { RABBIT_USER: 'rabbit', RABBIT_PASS: 's3cr3t-p@ss' };

  it('scales from an HTTP metric, fetches the shared URL once, and never prints the credentials', async () => {
    const clients = moto.clients();
    await createEcsCluster(clients, CLUSTER);
    await createEcsService(clients, CLUSTER, 'worker', { desired: 1 });
    await createEcsService(clients, CLUSTER, 'backend', { desired: 1 });
    const { port, requests } = server();

    const applied = await run.apply(yaml(port), { env });
    expect(actions(applied.plan)).toEqual([
      ['ecs_service', 'update', 'worker', { desired: 1 }, { desired: 2 }],
    ]);
    expect((await describeService(moto, 'worker')).desiredCount).toBe(2);
    // Two services read /auth: one request; /fail once.
    expect(requests.map((r) => r.url).sort()).toEqual(['/auth', '/fail']);
    // backend reads a failing source: not scaled, and the plan says why.
    const backend = applied.plan.decisions?.find((d) => d.id === 'backend');
    expect(backend).toMatchObject({ outcome: 'no_data', metrics: { ready: 7, failing: null } });
    expect(backend?.reason).toBe(`not scaled this run: failing: GET http://127.0.0.1:${port}/fail: HTTP 503`);

    for (const format of ['text', 'json', 'markdown'] as const) {
      const out = render(format, applied.plan, applied.report ?? undefined);
      expect(out).not.toContain('s3cr3t');
      expect(out).not.toContain('rabbit:');
    }
    expect(redact(JSON.stringify(applied.plan), applied.secrets)).toBe(JSON.stringify(applied.plan));
  });
});
