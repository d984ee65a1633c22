/** register and delete requests against a local HTTP server: the body, its type, and what counts as done. */
import { afterEach, describe, expect, it } from 'vitest';
import type { RegistryRequestSpec } from '../../../src/model.ts';
import { deleteRegistryEntry, NOT_FOUND_NOTE, registerRegistryEntry } from '../../../src/registries/index.ts';
import { type LocalServer, startLocalServer } from '../../support/local-server.ts';

interface Seen {
  method: string;
  path: string;
  type: string | undefined;
  body: string;
}

const servers: LocalServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(status: number): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await startLocalServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        type: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  servers.push(server);
  return { url: server.url, seen };
}

describe('registry requests', () => {
  it('register sends the payload as JSON with its placeholders filled; a 404 is a failure', async () => {
    const ok = await serve(201);
    const spec: RegistryRequestSpec = {
      kind: 'http',
      method: 'PUT',
      url: `${ok.url}/servers/{entry}`,
      headers: {},
      payload: { ip: '{private_ip}', port: 80, name: 'rs "{instance}"' },
    };
    const values = { entry: 'rs_i-1 a/b', instance: 'i-1', private_ip: '10.0.0.1' };
    await registerRegistryEntry(spec, values);
    expect(ok.seen).toEqual([
      {
        method: 'PUT',
        path: '/servers/rs_i-1%20a%2Fb',
        type: 'application/json',
        body: JSON.stringify({ ip: '10.0.0.1', port: 80, name: 'rs "i-1"' }),
      },
    ]);

    const missing = await serve(404);
    await expect(
      registerRegistryEntry({ ...spec, url: `${missing.url}/servers/{entry}` }, values),
    ).rejects.toThrow(/PUT http:\/\/127\.0\.0\.1:\d+\/servers\/rs_i-1%20a%2Fb: HTTP 404/);
  });

  it("keeps the YAML's own Content-Type; a delete answered 404 is done; an unknown value sends nothing", async () => {
    const gone = await serve(404);
    // Done, but said: a wrong delete URL answers 404 too, and the report must show it.
    const note = await deleteRegistryEntry(
      {
        kind: 'http',
        method: 'PUT',
        url: `${gone.url}/v1/catalog/deregister`,
        headers: { 'content-type': 'application/vnd.consul+json' },
        payload: { Node: '{id}' },
      },
      { id: 'i-1' },
    );
    expect(note).toBe(NOT_FOUND_NOTE);
    expect(note).toMatch(/^HTTP 404: already gone/);
    const ok = await serve(204);
    expect(
      await deleteRegistryEntry(
        { kind: 'http', method: 'DELETE', url: `${ok.url}/{id}`, headers: {} },
        { id: 'i-1' },
      ),
    ).toBeUndefined();
    expect(gone.seen).toEqual([
      {
        method: 'PUT',
        path: '/v1/catalog/deregister',
        type: 'application/vnd.consul+json',
        body: '{"Node":"i-1"}',
      },
    ]);
    await expect(
      deleteRegistryEntry(
        { kind: 'http', method: 'DELETE', url: `${gone.url}/x/{public_ip}`, headers: {} },
        { id: 'i-1' },
      ),
    ).rejects.toThrow('{public_ip}');
    expect(gone.seen).toHaveLength(1);
  });
});
