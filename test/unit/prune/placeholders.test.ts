/** Placeholders escaped for their place: URL, header, command, payload; unknown values never empty. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  fillCommand,
  fillHeader,
  fillPayload,
  fillText,
  fillUrl,
  placeholdersIn,
  placeholdersOfRequest,
} from '../../../src/registries/placeholders.ts';

const HOSTILE = `web"; $(touch /tmp/canary) 'x' \`id\`\nnext & | > < * ? ~ % / # ü`;

describe('placeholders', () => {
  it('finds {name} but not ${VAR}', () => {
    expect(placeholdersIn('a {id} ${instance} {private_ip}{x}')).toEqual([
      { name: 'id', index: 2 },
      { name: 'private_ip', index: 19 },
      { name: 'x', index: 31 },
    ]);
  });

  it('in a URL: each value URL-encoded, so it cannot change the path, query or fragment', () => {
    const url = fillUrl('https://lb.example/api/realServers/{entry}?az={az}', {
      entry: '/config/app/as_web_i-1 x?y#z',
      az: 'us-east-1a',
    });
    expect(url).toBe(
      'https://lb.example/api/realServers/%2Fconfig%2Fapp%2Fas_web_i-1%20x%3Fy%23z?az=us-east-1a',
    );
    const parsed = new URL(fillUrl('https://h/x/{group}', { group: HOSTILE }));
    expect(parsed.host).toBe('h');
    expect(decodeURIComponent(parsed.pathname.slice(3))).toBe(HOSTILE);
  });

  it('in a command: each value one shell word, run verbatim by sh (nothing it holds runs)', () => {
    const line = fillCommand('printf "%s|" {group} {instance}', { group: HOSTILE, instance: 'i-1' });
    const out = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(`${HOSTILE}|i-1|`);
  });

  it('in a command: NUL is refused (sh cannot carry it)', () => {
    expect(() => fillCommand('x {id}', { id: 'a\0b' })).toThrow('NUL');
  });

  it('in a header: as is, but a line break cannot split the header', () => {
    expect(fillHeader('node={instance}', { instance: 'i-1' })).toBe('node=i-1');
    expect(() => fillHeader('x {group}', { group: 'a\r\nX-Evil: 1' })).toThrow('line break');
  });

  it('in a payload: inside string values, JSON-encoded as a whole; other types keep theirs', () => {
    const payload = {
      ip: '{private_ip}',
      port: 80,
      weight: 1.5,
      enabled: true,
      none: null,
      name: 'rs-{instance}-{az}',
      tags: ['{group}', 7],
      '{group}': 'key not filled',
    };
    const filled = fillPayload(payload, {
      private_ip: '10.0.0.7',
      instance: 'i-1',
      az: 'us-east-1a',
      group: HOSTILE,
    });
    expect(filled).toEqual({
      ip: '10.0.0.7',
      port: 80,
      weight: 1.5,
      enabled: true,
      none: null,
      name: 'rs-i-1-us-east-1a',
      tags: [HOSTILE, 7],
      '{group}': 'key not filled',
    });
    // The serialised body reads back to the same value: no quote or newline left its string.
    expect(JSON.parse(JSON.stringify(filled))).toEqual(filled);
    // A value that is exactly one placeholder stays a string, even when it reads as a number.
    expect(fillPayload({ port: '{az}' }, { az: '80' })).toEqual({ port: '80' });
  });

  it('a value that is not known is an error, never an empty string', () => {
    expect(() => fillUrl('https://h/{public_ip}', { instance: 'i-1' })).toThrow(
      "{public_ip} (the instance's public IP) is not known",
    );
    expect(() => fillPayload({ ip: '{public_ip}' }, {})).toThrow('is not known');
    expect(() => fillText('as_web_{instance}', {})).toThrow('is not known');
  });

  it('unknown names stay as written (validation reports them)', () => {
    expect(fillText('{nope} {instance}', { instance: 'i-1' })).toBe('{nope} i-1');
  });

  it('lists the placeholders a request uses, payload and headers included', () => {
    expect(
      [
        ...placeholdersOfRequest({
          kind: 'http',
          method: 'PUT',
          url: 'https://h/{entry}',
          headers: { 'X-Node': '{group}' },
          payload: { ip: '{private_ip}', nested: { list: ['{az}'] } },
        }),
      ].sort(),
    ).toEqual(['az', 'entry', 'group', 'private_ip']);
    expect([...placeholdersOfRequest({ kind: 'command', command: 'salt-key -y -a {instance}' })]).toEqual([
      'instance',
    ]);
  });
});
