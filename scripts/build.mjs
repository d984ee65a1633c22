// Bundles the Action (dist/index.js) and the CLI (dist/cli.js) into single ESM files with their
// dependencies, for Node 24 (the Action runtime). dist/ is committed: a check in CI rebuilds it
// and fails when it differs, so what runs is what was reviewed.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { writeValidator } from './validator.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __AUTOSCALE_GITOPS_VERSION__: JSON.stringify(version) },
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
};

// The schema's validator, compiled ahead of time (committed too; the bundles include it).
writeValidator();
await build({ ...shared, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
await build({
  ...shared,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  banner: { js: `#!/usr/bin/env node\n${shared.banner.js}` },
});
