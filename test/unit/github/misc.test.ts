import { describe, expect, it } from 'vitest';
import { checkAwsCredentials } from '../../../src/github/credentials.ts';
import { code, escapeInline, fence, sizeOf, truncate } from '../../../src/github/markdown.ts';
import { fileSlug, planJsonPath } from '../../../src/github/outputs.ts';
import { redactDeep } from '../../../src/github/redact.ts';

describe('redactDeep', () => {
  it('hides every string, in objects, arrays, map keys and values, and leaves other values', () => {
    const hide = (t: string) => t.replaceAll('s3cret', '***');
    const value = {
      reason: 'token s3cret',
      n: 3,
      list: ['a', 's3cret'],
      nested: { deep: 's3cret!' },
      dimensions: { s3cret: 's3cret' },
      map: new Map([['addr/s3cret', { error: 'bad s3cret' }]]),
      none: null,
    };
    expect(redactDeep(value, hide)).toEqual({
      reason: 'token ***',
      n: 3,
      list: ['a', '***'],
      nested: { deep: '***!' },
      dimensions: { '***': '***' },
      map: new Map([['addr/***', { error: 'bad ***' }]]),
      none: null,
    });
    expect(value.reason).toBe('token s3cret');
  });

  it('never changes the shape: field names and the kind/severity vocabulary stay as they are', () => {
    // The secret `t` is in nearly every field name; masking the names made fields vanish.
    const hide = (text: string) => text.replaceAll('t', '***');
    const outcome = {
      kind: 'valid',
      files: 3,
      diagnostics: [{ severity: 'error', message: 'not t' }],
      metrics: { t: 1 },
    };
    expect(redactDeep(outcome, hide)).toEqual({
      kind: 'valid',
      files: 3,
      diagnostics: [{ severity: 'error', message: 'no*** ***' }],
      metrics: { '***': 1 },
    });
  });
});

describe('markdown helpers', () => {
  it('makes code spans and fences that backticks inside cannot close', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('a|b')).toBe('`a\\|b`');
    expect(fence('x ``` y', 'diff')).toBe('````diff\nx ``` y\n````');
  });

  it('escapes Markdown and HTML in prose', () => {
    expect(escapeInline('<b>*x*</b> [l](u) _y_ a_b\nz')).toBe(
      '&lt;b&gt;\\*x\\*&lt;/b&gt; \\[l\\](u) \\_y\\_ a_b z',
    );
  });

  it('truncates on code points and measures bytes', () => {
    expect(truncate('🚀🚀🚀', 2)).toBe('🚀…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(sizeOf('🚀')).toBe(4);
  });
});

describe('plan file', () => {
  it('goes under RUNNER_TEMP, named after the config key', () => {
    expect(planJsonPath({ RUNNER_TEMP: '/runner/tmp' }, 'clusters only=web*.yml')).toBe(
      '/runner/tmp/autoscale-gitops/plan-clusters-only-web-.yml.json',
    );
    expect(fileSlug('../..')).toBe('config');
  });
});

describe('AWS credentials check', () => {
  it('reports the SDK chain failure as a reason, without throwing', async () => {
    const failing = async () => {
      throw new Error('Could not load credentials from any providers\n  at stack');
    };
    expect(await checkAwsCredentials(failing)).toEqual({
      ok: false,
      reason: 'Could not load credentials from any providers',
    });
    expect(await checkAwsCredentials(async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }))).toEqual({
      ok: true,
    });
  });
});
