/**
 * Registries against hostile or broken answers, on real local servers and real commands:
 * redirects (another origin, metadata addresses), endless bodies and endless output, and a child
 * that keeps the pipes open after the kill. A listing that fails is unknown: nothing is pruned.
 */
import { readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runShell } from '../../../src/registries/command.ts';
import { deleteRegistryEntry, listRegistry } from '../../../src/registries/index.ts';
import { startLocalServer } from '../../support/local-server.ts';
import { useMoto } from '../../support/moto.ts';
import { actions, instances, useHarness } from './harness.ts';

const moto = useMoto();
const harness = useHarness(moto);
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

/** A local server; every request is recorded. */
async function server(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const started = await startLocalServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  closers.push(() => started.close());
  return { url: started.url, seen };
}

/** Writes 64 KiB chunks for as long as the client reads (and counts what it sent). */
function endless(res: ServerResponse, sent: { bytes: number }): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.write('[');
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk)) sent.bytes += chunk.length;
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}

const http = (url: string, headers: Record<string, string> = {}, extra: { maxBytes?: number } = {}) => ({
  kind: 'http' as const,
  url,
  headers,
  ...extra,
});

describe('http registry: redirects follow the metric sources rules', () => {
  it('a redirect to another origin gets none of the YAML headers (token headers included)', async () => {
    const other = await server((_req, res) => void res.writeHead(200).end('["i-0123456789abcdef0"]'));
    const origin = await server((req, res) => {
      if (req.url === '/nodes') return void res.writeHead(302, { location: `${other.url}/moved` }).end();
      res.writeHead(404).end();
    });
    const headers = { 'X-Chef-Token': 'secret-token', Authorization: 'Bearer secret-bearer' };
    expect(await listRegistry(http(`${origin.url}/nodes`, headers))).toEqual([{ id: 'i-0123456789abcdef0' }]);
    expect(origin.seen[0]?.headers['x-chef-token']).toBe('secret-token');
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]?.headers['x-chef-token']).toBeUndefined();
    expect(other.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('the same origin keeps them; more than 5 redirects fail', async () => {
    const s = await server((req, res) => {
      const n = Number(req.url?.slice(1));
      if (req.url === '/ok') return void res.writeHead(200).end('[]');
      if (req.url === '/nodes') return void res.writeHead(301, { location: '/ok' }).end();
      res.writeHead(307, { location: `/${n + 1}` }).end();
    });
    expect(await listRegistry(http(`${s.url}/nodes`, { 'X-Chef-Token': 't0k' }))).toEqual([]);
    expect(s.seen.map((r) => r.headers['x-chef-token'])).toEqual(['t0k', 't0k']);
    await expect(listRegistry(http(`${s.url}/0`))).rejects.toThrow(
      /^GET http:\/\/127\.0\.0\.1:\d+\/5: more than 5 redirects$/,
    );
  });

  it('a redirect into a metadata address is refused, the delete too; the YAML URL may point there itself', async () => {
    const s = await server((req, res) => {
      const to: Record<string, string> = {
        '/aws': 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
        '/aws6': 'http://[fd00:ec2::254]/latest/meta-data/',
        '/mapped': 'http://[::ffff:169.254.169.254]/',
        '/decimal': 'http://2852039166/',
        '/gcp': 'http://metadata.google.internal./computeMetadata/v1/',
        '/ecs': 'http://169.254.170.2/v2/credentials',
        '/named': 'http://localhost:1/x',
        '/hop': '/fine',
      };
      const target = to[(req.url ?? '').split('/').slice(0, 2).join('/')];
      if (target !== undefined) return void res.writeHead(302, { location: target }).end();
      res.writeHead(200).end('[]');
    });
    for (const path of ['/aws', '/aws6', '/mapped', '/decimal', '/gcp', '/ecs']) {
      await expect(listRegistry(http(`${s.url}${path}`), { timeoutMs: 5_000 })).rejects.toThrow(
        /^GET http:\/\/127\.0\.0\.1:\d+\/\w+: redirected to http:\/\/.+, a link-local or cloud metadata address \(.+\): not followed$/,
      );
    }
    const del = { kind: 'http' as const, method: 'DELETE' as const, url: `${s.url}/aws/{id}`, headers: {} };
    await expect(deleteRegistryEntry(del, { id: 'i-1' }, { timeoutMs: 5_000 })).rejects.toThrow(
      'link-local or cloud metadata',
    );
    // A name that resolves there is refused as well (the resolver stands in for DNS here).
    const lookup = async (host: string) => (host === 'localhost' ? ['169.254.169.254'] : ['127.0.0.1']);
    await expect(listRegistry(http(`${s.url}/named`), { lookup })).rejects.toThrow(
      'redirected to http://localhost:1/x, a link-local or cloud metadata address (169.254.169.254): not followed',
    );
    // The YAML's own host is the YAML's decision: a redirect staying on it is followed.
    const own = s.url.replace('127.0.0.1', 'localhost');
    await expect(listRegistry(http(`${own}/hop`), { lookup })).resolves.toEqual([]);
    expect(s.seen.filter((r) => r.url === '/fine')).toHaveLength(1);
  });
});

describe('registry answers are capped', () => {
  it('an endless HTTP body fails the listing at the cap (default 16 MiB, or the list max_bytes)', async () => {
    const sent = { bytes: 0 };
    const s = await server((_req, res) => endless(res, sent));
    await expect(listRegistry(http(`${s.url}/nodes`), { timeoutMs: 50_000 })).rejects.toThrow(
      /^GET http:\/\/127\.0\.0\.1:\d+\/nodes: the answer is larger than 16 MiB$/,
    );
    await expect(
      listRegistry(http(`${s.url}/nodes`, {}, { maxBytes: 100_000 }), { timeoutMs: 50_000 }),
    ).rejects.toThrow('the answer is larger than 100000 bytes');
    // What the server got written before the read stopped: the cap plus what sat in the pipes.
    expect(sent.bytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('a declared Content-Length over the cap fails before reading', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-length': String(1024 * 1024 * 1024) });
      res.write('[');
    });
    await expect(listRegistry(http(`${s.url}/nodes`, {}, { maxBytes: 4096 }))).rejects.toThrow(
      'the answer is larger than 4096 bytes',
    );
  });

  it('a command printing endlessly is killed at the cap (default 16 MiB, or the list max_bytes)', async () => {
    await expect(listRegistry({ kind: 'command', command: 'yes' })).rejects.toThrow(
      'the command printed more than 16 MiB',
    );
    await expect(listRegistry({ kind: 'command', command: 'yes', maxBytes: 4096 })).rejects.toThrow(
      'the command printed more than 4096 bytes',
    );
  });

  it('a registry over its cap is unknown: the plan prunes nothing from it and says why', async () => {
    const [gone] = await instances(moto, 1, 1);
    const sent = { bytes: 0 };
    const endlessServer = await server((_req, res) => endless(res, sent));
    const yaml = `region: us-east-1
prune:
  max: 100%
  registries:
    chef:
      list: { url: "${endlessServer.url}/nodes", max_bytes: 65536 }
      delete: { url: "${endlessServer.url}/nodes/{id}" }
    salt:
      list: { command: "printf '[\\"${gone}\\"]'; yes", max_bytes: 65536 }
      delete: { command: "false {id}" }
`;
    const { plan } = await harness.plan(yaml);
    expect(actions(plan)).toEqual([]);
    const errors = plan.errors.map((w) => w.message).join('\n');
    expect(errors).toMatch(
      /registry chef could not be listed \(GET http:\/\/127\.0\.0\.1:\d+\/nodes: the answer is larger than 65536 bytes\)/,
    );
    expect(errors).toMatch(/registry salt could not be listed \(.*printed more than 65536 bytes/);
    expect(endlessServer.seen.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('command registry: the wait ends even when a process outside the group keeps the pipes', () => {
  it('a setsid child holding stdout does not keep the run waiting after the timeout', async () => {
    const pidFile = join(tmpdir(), `escaped-${process.pid}-${Math.random().toString(36).slice(2)}.pid`);
    closers.push(async () => {
      const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await rm(pidFile, { force: true });
    });
    // The escaped process lives 10 min, far beyond the test's own timeout: only ending the wait helps.
    const command = `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 600' & sleep 600`;
    await expect(runShell(command, { timeoutMs: 1_000 })).rejects.toThrow('the command timed out after 1s');
  });

  it('the signal ends a running command (its whole group) and keeps later ones from starting', async () => {
    const deadline = new AbortController();
    const running = runShell('sleep 600', { signal: deadline.signal });
    setTimeout(() => deadline.abort(new Error('the run took longer than 15 min')), 200);
    await expect(running).rejects.toThrow('the command was aborted: the run took longer than 15 min');
    await expect(runShell('echo hi', { signal: deadline.signal })).rejects.toThrow('the command was not run');
  });
});
