import { describe, expect, it } from 'vitest';
import { Masker, redact, secretVariants } from '../../src/secrets.ts';

describe('redact', () => {
  it('masks every occurrence of every secret, longest first', () => {
    expect(redact('token=abc123x again abc123x and abc12', ['abc12', 'abc123x'])).toBe(
      'token=*** again *** and ***',
    );
  });
  it('masks user and password written into a URL even when they are not known secrets', () => {
    expect(redact('GET https://guest:hunter2@rabbit.example/api/queues', [])).toBe(
      'GET https://***@rabbit.example/api/queues',
    );
    expect(redact('http://user@host/x', [])).toBe('http://***@host/x');
  });
  it('masks any Basic authorization value', () => {
    const basic = Buffer.from('guest:hunter2').toString('base64');
    expect(redact(`authorization: Basic ${basic}`, [])).toBe('authorization: Basic ***');
  });
  it('leaves text without secrets alone and ignores empty values', () => {
    expect(redact('plain text, mail me at a@b.c', [''])).toBe('plain text, mail me at a@b.c');
  });
});

describe('the forms a secret takes on its way out', () => {
  const secret = 'p a<s"s\u00e9&+/';
  const encodings: Record<string, string> = {
    encodeURIComponent: encodeURIComponent(secret),
    encodeURI: encodeURI(secret),
    'lower-case percent escapes': encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    'URL path': new URL(`http://h/x/${secret.replace('/', '')}`).pathname.slice(3),
    'URL query': new URL(`http://h/?${secret.replace(/[&+/]/g, '')}`).search.slice(1),
    'form body (+ for space)': new URLSearchParams({ v: secret }).toString().slice(2),
    'JSON string': JSON.stringify(secret).slice(1, -1),
    HTML: secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'),
  };
  for (const [name, encoded] of Object.entries(encodings)) {
    it(`masks it ${name}`, () => {
      const masked = redact(`error at ${encoded} here`, [
        secret,
        secret.replace('/', ''),
        secret.replace(/[&+/]/g, ''),
      ]);
      expect(masked).toBe('error at *** here');
    });
  }

  it('masks its base64 at each of the 3 alignments, inside a longer base64 text', () => {
    const token = 'Zm9vYmFyYmF6cXV4';
    for (const prefix of ['', 'a', 'ab', 'user:', 'admin:']) {
      const base64 = Buffer.from(`${prefix}${token}!tail`).toString('base64');
      expect(redact(`sent ${base64}`, [token])).not.toMatch(/[A-Za-z0-9+/]{22}/);
    }
  });

  it('masks the Basic authorization of user:pass even without its `Basic ` prefix', () => {
    const [user, pass] = ['rabbit-monitor', 's3cr3t-p@ss'];
    const basic = Buffer.from(`${user}:${pass}`).toString('base64');
    const masked = redact(`token ${basic}`, [user, pass]);
    // What is left between the masks is the few characters shared with the `:` between them.
    expect(masked.replace(/\*\*\*/g, '').replace('token ', '').length).toBeLessThanOrEqual(4);
  });

  it('includes the plain value and no empty forms', () => {
    expect(secretVariants('hunter22')[0]).toBe('hunter22');
    expect(secretVariants('hunter22')).not.toContain('');
    expect(secretVariants('')).toEqual([]);
  });
});

describe('short secrets (under 6 characters)', () => {
  it('are masked only where they stand alone, so the text stays readable', () => {
    const { hide } = new Masker(['t']);
    expect(hide('Configuration valid: 3 files, enabled')).toBe('Configuration valid: 3 files, enabled');
    expect(hide('Authorization: Bearer t')).toBe('Authorization: Bearer ***');
    expect(hide('GET /nodes?token=t&x=1 and "t"')).toBe('GET /nodes?token=***&x=1 and "***"');
  });
  it('are masked whole in their encoded forms too', () => {
    expect(redact('GET /a/%C3%A9 and /a/%c3%a9x', ['\u00e9'])).toBe('GET /a/*** and /a/%c3%a9x');
  });
});
