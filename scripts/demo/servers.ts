/**
 * The demo's local HTTP services, on 127.0.0.1 only, each a node:http server checking its
 * credentials the way the real one does:
 *
 * - RabbitMQ's management API (GET /api/queues/{vhost}/{queue}, HTTP Basic): worker's queue length;
 * - the jobs scheduler's status endpoint (POST /status, JSON body, bearer token): consumer's workers;
 * - a Chef server (GET/DELETE /organizations/web/nodes[/{name}], bearer token): an HTTP registry;
 * - a Consul agent (GET /v1/catalog/nodes, PUT /v1/agent/force-leave/{node}): listed with curl,
 *   deleted with the `consul` stand-in;
 * - a Salt master for the `salt-key` stand-in (GET /keys, DELETE /keys/{id}).
 *
 * The stand-ins (scripts/demo/bin/salt-key and consul) go first on the CLI's PATH, so web.yml's
 * command registries run as written and never reach a real Salt master or Consul agent on the
 * machine running the demo.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { FleetInstances } from './fleet.ts';

/** Where the stand-in commands live: put first on the CLI's PATH. */
export const STAND_IN_BIN = resolve(import.meta.dirname, 'bin');

export interface DemoServers {
  /** Variables for clusters/*.yml and for the stand-in commands. */
  readonly env: Record<string, string>;
  /** One line per service, for the narration. */
  readonly story: string[];
  /** name → port, for the narration and the demo's test. */
  readonly ports: Record<string, number>;
  /** What each registry deleted so far, e.g. `chef: i-0abc…`. */
  deleted(): string[];
  /** Closes every server (safe to call twice). */
  close(): Promise<void>;
}

type Route = (req: IncomingMessage & { body: string }, res: ServerResponse) => void;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function listen(route: Route): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        route(Object.assign(req, { body: Buffer.concat(chunks).toString('utf8') }), res);
      } catch (error) {
        json(res, 500, { error: (error as Error).message });
      }
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  return server;
}

const secret = (): string => randomBytes(12).toString('hex');
const epochSeconds = (msAgo: number): number => Math.round((Date.now() - msAgo) / 1000);
const HOUR = 3_600_000;

export async function startServers(fleet: FleetInstances): Promise<DemoServers> {
  const servers: Server[] = [];
  const ports: Record<string, number> = {};
  const deleted: string[] = [];
  const start = async (name: string, route: Route): Promise<number> => {
    const server = await listen(route);
    servers.push(server);
    const port = (server.address() as AddressInfo).port;
    ports[name] = port;
    return port;
  };
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.all(
      servers.map((s) => {
        s.closeAllConnections();
        return new Promise<void>((done) => s.close(() => done()));
      }),
    );
  };

  try {
    const story: string[] = [];
    const live = [...fleet.web, ...fleet.api];
    const rabbit = { user: 'rabbit-monitor', pass: secret() };
    const rabbitPort = await start('rabbitmq', (req, res) => {
      const basic = `Basic ${Buffer.from(`${rabbit.user}:${rabbit.pass}`).toString('base64')}`;
      if (req.headers.authorization !== basic)
        return json(res, 401, { error: 'not_authorised', reason: 'Login failed' });
      if (req.method !== 'GET' || req.url !== '/api/queues/%2F/celery')
        return json(res, 404, { error: 'Object Not Found', reason: 'Not Found' });
      json(res, 200, {
        name: 'celery',
        vhost: '/',
        state: 'running',
        consumers: 8,
        messages: 57,
        messages_ready: 42,
        messages_unacknowledged: 15,
        message_stats: { publish_details: { rate: 9.4 }, deliver_get_details: { rate: 6.1 } },
      });
    });
    story.push(
      `RabbitMQ management API on 127.0.0.1:${rabbitPort} (HTTP Basic): queue celery has 42 messages ready (worker scales out at 5)`,
    );

    const jobsToken = secret();
    const jobsPort = await start('jobs-status', (req, res) => {
      if (req.headers.authorization !== `Bearer ${jobsToken}`)
        return json(res, 401, { error: 'unauthorized' });
      if (req.method !== 'POST' || req.url !== '/status') return json(res, 405, { error: 'POST /status' });
      const asked = JSON.parse(req.body || '{}') as { queue?: string; window?: string };
      if (asked.queue !== 'jobs') return json(res, 404, { error: `no queue ${asked.queue}` });
      json(res, 200, { queue: 'jobs', window: asked.window ?? '5m', workers: { busy: 4, total: 4 } });
    });
    story.push(
      `jobs scheduler status endpoint on 127.0.0.1:${jobsPort} (POST, bearer token): 4 of 4 consumer workers busy`,
    );

    // Chef: one node per server (named by instance id, last check-in in ohai_time), two
    // long-gone servers, the one terminated just now, and two nodes that are not instances.
    const chefToken = secret();
    const chef = new Map<string, number>([
      ...live.map((id): [string, number] => [id, epochSeconds(20 * 60_000)]),
      [fleet.justTerminated, epochSeconds(5 * 60_000)],
      [fleet.longGoneWeb, epochSeconds(50 * HOUR)],
      [fleet.longGoneApi, epochSeconds(3 * HOUR)],
      ['build-server', epochSeconds(10 * 60_000)],
      ['jenkins.internal', epochSeconds(15 * 60_000)],
    ]);
    const chefPort = await start('chef', (req, res) => {
      if (req.headers.authorization !== `Bearer ${chefToken}`)
        return json(res, 401, { error: ['unauthorized'] });
      const path = req.url ?? '';
      if (req.method === 'GET' && path === '/organizations/web/nodes') {
        const rows = [...chef].map(([name, time]) => ({ name, automatic: { ohai_time: time } }));
        return json(res, 200, { total: rows.length, start: 0, rows });
      }
      const node = /^\/organizations\/web\/nodes\/([^/]+)$/.exec(path);
      if (req.method === 'DELETE' && node) {
        const name = decodeURIComponent(node[1] ?? '');
        if (!chef.delete(name)) return json(res, 404, { error: [`node '${name}' not found`] });
        deleted.push(`chef: ${name}`);
        return json(res, 200, { name });
      }
      json(res, 404, { error: ['not found'] });
    });
    story.push(
      `Chef server on 127.0.0.1:${chefPort} (bearer token): ${chef.size} nodes, among them the two long-gone servers (last check-in 50h and 3h ago: pruned), the one terminated just now (kept by grace), and build-server and jenkins.internal (not instances: never touched)`,
    );

    // Consul: nodes named by instance id (some with the EC2 domain), and the Consul servers.
    const consul = new Set<string>([
      ...fleet.web,
      ...fleet.api.map((id) => `${id}.ec2.internal`),
      fleet.justTerminated,
      fleet.longGoneWeb,
      'consul-server-1',
      'consul-server-2',
      'consul-server-3',
    ]);
    const consulPort = await start('consul', (req, res) => {
      const path = req.url ?? '';
      if (req.method === 'GET' && path === '/v1/catalog/nodes') {
        return json(
          res,
          200,
          [...consul].map((Node, i) => ({
            Node,
            Address: `10.0.${Math.floor(i / 200)}.${(i % 200) + 10}`,
            Datacenter: 'dc1',
          })),
        );
      }
      const leave = /^\/v1\/agent\/force-leave\/([^/?]+)(\?.*)?$/.exec(path);
      if (req.method === 'PUT' && leave) {
        const node = decodeURIComponent(leave[1] ?? '');
        if (!consul.delete(node))
          return json(res, 500, { error: `agent: No node found with name '${node}'` });
        deleted.push(`consul: ${node}`);
        return json(res, 200, {});
      }
      json(res, 404, { error: 'not found' });
    });
    story.push(
      `Consul agent on 127.0.0.1:${consulPort}: ${consul.size} nodes, the long-gone web server among them, and 3 Consul servers (not instances)`,
    );

    // Salt: web minions are web-<instance id>.internal; API minions and the master are not ours.
    const salt = new Set<string>([
      ...[...fleet.web, fleet.justTerminated, fleet.longGoneWeb].map((id) => `web-${id}.internal`),
      ...fleet.api.map((id) => `api-${id}.internal`),
      'salt-master',
    ]);
    const saltPort = await start('salt', (req, res) => {
      const path = req.url ?? '';
      if (req.method === 'GET' && path === '/keys') {
        return json(res, 200, {
          minions: [...salt],
          minions_pre: [],
          minions_rejected: [],
          minions_denied: [],
        });
      }
      const key = /^\/keys\/([^/]+)$/.exec(path);
      if (req.method === 'DELETE' && key) {
        const id = decodeURIComponent(key[1] ?? '');
        if (!salt.delete(id))
          return json(res, 404, { error: `The key glob '${id}' does not match any accepted keys.` });
        deleted.push(`salt: ${id}`);
        return json(res, 200, {});
      }
      json(res, 404, { error: 'not found' });
    });
    story.push(
      `Salt master stand-in on 127.0.0.1:${saltPort}: ${salt.size} minion keys, web-${fleet.longGoneWeb}.internal among them`,
    );

    return {
      story,
      ports,
      deleted: () => [...deleted],
      close,
      env: {
        RABBIT_USER: rabbit.user,
        RABBIT_PASS: rabbit.pass,
        RABBIT_HOST: `127.0.0.1:${rabbitPort}`,
        JOBS_STATUS_URL: `http://127.0.0.1:${jobsPort}/status`,
        JOBS_STATUS_TOKEN: jobsToken,
        CHEF_URL: `http://127.0.0.1:${chefPort}`,
        CHEF_TOKEN: chefToken,
        CONSUL_HTTP_ADDR: `http://127.0.0.1:${consulPort}`,
        DEMO_SALT_MASTER: `http://127.0.0.1:${saltPort}`,
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
