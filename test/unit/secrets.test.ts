import { describe, expect, it } from 'vitest';
import { redact } from '../../src/secrets.ts';

describe('redact', () => {
  it('masks every occurrence of every secret, longest first', () => {
    expect(redact('token=abc123 again abc123 and abc', ['abc', 'abc123'])).toBe(
      'token=*** again *** and ***',
    );
  });
  it('masks user and password written into a URL even when they are not known secrets', () => {
    expect(redact('GET https://guest:hunter2@rabbit.example/api/queues', [])).toBe(
      'GET https://***@rabbit.example/api/queues',
    );
    expect(redact('http://user@host/x', [])).toBe('http://***@host/x');
  });
  it('leaves text without secrets alone and ignores empty values', () => {
    expect(redact('plain text, mail me at a@b.c', [''])).toBe('plain text, mail me at a@b.c');
  });
});
