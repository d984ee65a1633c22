import { describe, expect, it } from 'vitest';
import { resolveTimeouts } from '../../../src/aws/timeouts.ts';

describe('resolveTimeouts', () => {
  it('takes options, then the environment in seconds, then 5 s / 30 s; a value that is not a positive number keeps the default', () => {
    expect(resolveTimeouts({}, {})).toEqual({ connectionTimeoutMs: 5_000, requestTimeoutMs: 30_000 });
    const env = { AUTOSCALE_GITOPS_CONNECT_TIMEOUT: '2.5', AUTOSCALE_GITOPS_REQUEST_TIMEOUT: '90' };
    expect(resolveTimeouts({}, env)).toEqual({ connectionTimeoutMs: 2_500, requestTimeoutMs: 90_000 });
    expect(resolveTimeouts({ requestTimeoutMs: 1_000 }, env)).toEqual({
      connectionTimeoutMs: 2_500,
      requestTimeoutMs: 1_000,
    });
    for (const bad of ['0', '-1', 'soon', '30s', '']) {
      expect(resolveTimeouts({}, { AUTOSCALE_GITOPS_REQUEST_TIMEOUT: bad }).requestTimeoutMs).toBe(30_000);
    }
    expect(resolveTimeouts({ connectionTimeoutMs: 0 }, {}).connectionTimeoutMs).toBe(5_000);
  });
});
