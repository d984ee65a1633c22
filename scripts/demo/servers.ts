/**
 * The demo's local HTTP services, on 127.0.0.1 only, each a node:http server checking its
 * credentials the way the real one does:
 *
 * - RabbitMQ's management API (GET /api/queues/{vhost}/{queue}, HTTP Basic): worker's queue length;
 * - the jobs scheduler's status endpoint (POST /status, JSON body, bearer token): consumer's workers;
 * - a Chef server (GET/DELETE /organizations/web/nodes[/{name}], bearer token): an HTTP registry;
 * - a Consul agent (GET /v1/catalog/nodes, PUT /v1/agent/force-leave/{node}): listed with curl,
 *   deleted with the `consul` stand-in;
 * - a Salt master for the `salt-key` stand-in (GET /keys, DELETE /keys/{id}, POST /keys/{id}/accept);
 * - Consul's catalog for the web service (GET /v1/catalog/service/web, PUT /v1/catalog/register and
 *   /v1/catalog/deregister with JSON bodies): an HTTP registry that adds;
 * - a LineRate load balancer's REST API (GET/PUT/DELETE real servers, bearer token): an HTTP
 *   registry that adds (PUT with the instance's IP and port) and deletes.
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
  /** What each registry added so far, e.g. `linerate: rs_i-0abc… at 10.0.1.5:80`. */
  added(): string[];
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
  const added: string[] = [];
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
    // The web service in Consul's catalog: on each web server's node, and the long-gone one's.
    const webService = new Map<string, string>(
      [...fleet.web, fleet.longGoneWeb].map((id, i): [string, string] => [id, `10.0.9.${i + 10}`]),
    );
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
      // The web service's catalog (clusters/web.yml's consul-web): listed, registered, deregistered.
      if (req.method === 'GET' && path === '/v1/catalog/service/web') {
        return json(
          res,
          200,
          [...webService].map(([Node, Address]) => ({ Node, Address, ServiceID: 'web', ServiceName: 'web' })),
        );
      }
      if (req.method === 'PUT' && path === '/v1/catalog/register') {
        const body = JSON.parse(req.body) as { Node?: string; Address?: string; Service?: { ID?: string } };
        if (!body.Node || !body.Address || body.Service?.ID !== 'web')
          return json(res, 400, { error: 'Node, Address and Service.ID web are required' });
        webService.set(body.Node, body.Address);
        added.push(`consul-web: ${body.Node} at ${body.Address}`);
        return json(res, 200, true);
      }
      if (req.method === 'PUT' && path === '/v1/catalog/deregister') {
        const body = JSON.parse(req.body) as { Node?: string; ServiceID?: string };
        if (body.ServiceID !== 'web' || !body.Node || !webService.delete(body.Node))
          return json(res, 200, false);
        deleted.push(`consul-web: ${body.Node}`);
        return json(res, 200, true);
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
      `Consul agent on 127.0.0.1:${consulPort}: ${consul.size} nodes, the long-gone web server among them, and 3 Consul servers (not instances); its catalog has the web service on ${webService.size} nodes, the long-gone one among them`,
    );

    // Salt: web minions are web-<instance id>.internal; API minions and the master are not ours.
    const salt = new Set<string>([
      ...[...fleet.web, fleet.justTerminated, fleet.longGoneWeb].map((id) => `web-${id}.internal`),
      ...fleet.api.map((id) => `api-${id}.internal`),
      'salt-master',
    ]);
    // Keys waiting for acceptance: none of ours (every web server's key is accepted already).
    const saltPending = new Set<string>(['laptop-of-someone']);
    const saltPort = await start('salt', (req, res) => {
      const path = req.url ?? '';
      if (req.method === 'GET' && path === '/keys') {
        return json(res, 200, {
          minions: [...salt],
          minions_pre: [...saltPending],
          minions_rejected: [],
          minions_denied: [],
        });
      }
      const accept = /^\/keys\/([^/]+)\/accept$/.exec(path);
      if (req.method === 'POST' && accept) {
        const id = decodeURIComponent(accept[1] ?? '');
        if (!saltPending.delete(id))
          return json(res, 404, { error: `The key glob '${id}' does not match any unaccepted keys.` });
        salt.add(id);
        added.push(`salt-accept: ${id}`);
        return json(res, 200, {});
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

    // LineRate: a real server per web and API server but the newest API one (added), the
    // long-gone web server's (pruned), and one that is not an instance's. Listed as full paths.
    const lineratePrefix = '/config/app/proxy/realServer/base/';
    const linerateToken = secret();
    const [newestApi] = fleet.api.slice(-1);
    const realServers = new Map<string, { ip: string; port: number }>(
      [...live.filter((id) => id !== newestApi), fleet.longGoneWeb].map(
        (id, i): [string, { ip: string; port: number }] => [
          `${lineratePrefix}rs_${id}`,
          { ip: `10.0.8.${i + 10}`, port: 80 },
        ],
      ),
    );
    realServers.set(`${lineratePrefix}rs_jenkins`, { ip: '10.0.7.5', port: 8080 });
    const lineratePort = await start('linerate', (req, res) => {
      if (req.headers.authorization !== `Bearer ${linerateToken}`)
        return json(res, 401, { error: 'unauthorized' });
      const base = '/lrs/api/v1.0/config/app/proxy/realServer/base';
      const path = req.url ?? '';
      if (req.method === 'GET' && path === base) {
        return json(res, 200, { servers: [...realServers].map(([name, server]) => ({ name, ...server })) });
      }
      const one = path.startsWith(`${base}/`) ? decodeURIComponent(path.slice(base.length + 1)) : undefined;
      if (one === undefined || one.includes('/')) return json(res, 404, { error: 'not found' });
      const name = `${lineratePrefix}${one}`;
      if (req.method === 'PUT') {
        const body = JSON.parse(req.body) as { ip?: string; port?: number };
        if (typeof body.ip !== 'string' || typeof body.port !== 'number')
          return json(res, 400, { error: 'ip (a string) and port (a number) are required' });
        realServers.set(name, { ip: body.ip, port: body.port });
        added.push(`linerate: ${one} at ${body.ip}:${body.port}`);
        return json(res, 201, { name });
      }
      if (req.method === 'DELETE') {
        if (!realServers.delete(name)) return json(res, 404, { error: 'not found' });
        deleted.push(`linerate: ${one}`);
        return json(res, 200, {});
      }
      json(res, 405, { error: 'method not allowed' });
    });
    story.push(
      `LineRate REST API on 127.0.0.1:${lineratePort} (bearer token): ${realServers.size} real servers, none yet for the newest API server (added), one for the long-gone web server (pruned), and rs_jenkins (not an instance)`,
    );

    return {
      story,
      ports,
      deleted: () => [...deleted],
      added: () => [...added],
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
        LINERATE_URL: `http://127.0.0.1:${lineratePort}`,
        LINERATE_TOKEN: linerateToken,
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
