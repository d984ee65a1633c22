import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs no server; `integration` talks to moto's server (each test file
// starts its own on a free port, see test/support/moto.ts), to local HTTP servers, or runs the
// bundled CLI and Action as child processes.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Not vitest's 5 s: property tests run thousands of cases, and a loaded 2-core CI
          // machine can take several times longer than a quiet one. A unit test's time is never
          // its verdict (speed is measured by bench/); this only ends a test that hangs.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // moto is single-threaded Python: two files at a time keep it responsive on 2 cores.
          maxWorkers: 2,
          // The product honours the proxy variables (src/aws/settings.ts); a CI machine that sets
          // them must not send the tests' loopback traffic through its proxy. Tests of the proxy
          // support set their own.
          env: { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '' },
        },
      },
    ],
  },
});
