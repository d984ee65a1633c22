/** The registry clients on their own: a local node:http server and /bin/sh commands. */
import { afterEach, describe, expect, it } from 'vitest';
import { commandEnv, runShell } from '../../../src/registries/command.ts';
import { deleteRegistryEntry, listRegistry } from '../../../src/registries/index.ts';
import { startHttpRegistry } from '../../fixtures/registry/http-registry.ts';
import { startLocalServer } from '../../support/local-server.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function server(handler: Parameters<typeof startLocalServer>[0]): Promise<string> {
  const started = await startLocalServer(handler);
  closers.push(() => started.close());
  return started.url;
}

describe('http registry', () => {
  it('lists with the headers and deletes by URL-encoded id; 404 on delete is already done', async () => {
    const registry = await startHttpRegistry('t0k', [
      { name: 'a b/c' },
      { name: 'i-1', seen: '2030-01-01T00:00:00Z' },
    ]);
    closers.push(() => registry.close());
    const headers = { Authorization: 'Bearer t0k' };
    const list = {
      kind: 'http' as const,
      url: `${registry.url}/nodes`,
      headers,
      items: 'rows',
      id: 'name',
      time: 'seen',
    };
    expect(await listRegistry(list)).toEqual([
      { id: 'a b/c' },
      { id: 'i-1', time: '2030-01-01T00:00:00.000Z' },
    ]);
    const del = {
      kind: 'http' as const,
      method: 'DELETE' as const,
      url: `${registry.url}/nodes/{id}`,
      headers,
    };
    await deleteRegistryEntry(del, { id: 'a b/c' });
    await deleteRegistryEntry(del, { id: 'a b/c' });
    expect(registry.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      '/nodes/a%20b%2Fc',
      '/nodes/a%20b%2Fc',
    ]);
    expect([...registry.nodes.keys()]).toEqual(['i-1']);
  });

  it('fails on an error status, a non-JSON answer or a silent server, without printing credentials', async () => {
    const seen: (string | undefined)[] = [];
    const base = await server((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url?.startsWith('/500')) return void res.writeHead(500).end('{}');
      if (req.url?.startsWith('/html')) return void res.writeHead(200).end('<html>');
      // /slow: never answers
    });
    const creds = base.replace('http://', 'http://user:secret@');
    const list = (path: string) => ({
      kind: 'http' as const,
      url: `${creds}${path}?token=secret`,
      headers: {},
    });
    await expect(listRegistry(list('/500'))).rejects.toThrow(/^GET http:\/\/127\.0\.0\.1:\d+\/500: HTTP 500/);
    await expect(listRegistry(list('/html'))).rejects.toThrow('the answer is not JSON');
    // Credentials in the URL travel as Basic authorization.
    expect(seen[0]).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
    const slow = listRegistry(list('/slow'), { timeoutMs: 200 });
    await expect(slow).rejects.toThrow('no answer within 0.2 s');
    await expect(slow).rejects.not.toThrow(/secret/);
    const del = { kind: 'http' as const, method: 'POST' as const, url: `${base}/500/{id}`, headers: {} };
    await expect(deleteRegistryEntry(del, { id: 'x' })).rejects.toThrow(
      /^POST http:\/\/127\.0\.0\.1:\d+\/500\/x: HTTP 500/,
    );
  });
});

describe('command registry', () => {
  it('lists from stdout JSON and reports a failing command with its stderr', async () => {
    const list = {
      kind: 'command' as const,
      command: `printf '%s' '{"minions":["i-1","i-2"]}'`,
      items: 'minions',
    };
    expect(await listRegistry(list)).toEqual([{ id: 'i-1' }, { id: 'i-2' }]);
    await expect(runShell('echo oops >&2; exit 3')).rejects.toThrow('the command exited with code 3: oops');
    await expect(listRegistry({ kind: 'command', command: 'echo not json' })).rejects.toThrow(
      'the list command did not print JSON',
    );
  });

  it('kills the whole process group at the timeout', async () => {
    const started = Date.now();
    await expect(runShell('sleep 30 & sleep 30; wait', { timeoutMs: 300 })).rejects.toThrow(
      'timed out after 0.3s',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps the Action inputs and runner tokens from the command', async () => {
    expect(commandEnv({ PATH: '/bin', 'INPUT_GITHUB-TOKEN': 'ghs_x', ACTIONS_RUNTIME_TOKEN: 'r' })).toEqual({
      PATH: '/bin',
    });
    process.env['INPUT_GITHUB-TOKEN'] = 'ghs_secret';
    process.env.REGISTRY_TEST_VISIBLE = 'yes';
    try {
      expect(await runShell('env')).not.toContain('ghs_secret');
      expect(await runShell('echo "$REGISTRY_TEST_VISIBLE"')).toBe('yes\n');
    } finally {
      delete process.env['INPUT_GITHUB-TOKEN'];
      delete process.env.REGISTRY_TEST_VISIBLE;
    }
  });
});
