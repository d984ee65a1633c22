// Bundles the Action (dist/index.js) and the CLI (dist/cli.js) into single ESM files with their
// dependencies, for Node 24 (the Action runtime). dist/ is committed: a check in CI rebuilds it
// and fails when it differs, so what runs is what was reviewed.
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { writeEditorSchema } from './editor-schema.ts';
import { bundledPackageDirs, noticesText } from './notices.ts';
import { writeValidator } from './validator.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // Packages' ES module entry points first (esbuild's default for node is main, then module):
  // ES modules can be tree-shaken, CommonJS cannot. For our dependencies (the AWS SDK, mathjs,
  // undici) this cuts the bundles by a third and the cold start accordingly (README, Performance).
  mainFields: ['module', 'main'],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // What was bundled, for the third-party notices.
  metafile: true,
  define: { __AUTOSCALE_GITOPS_VERSION__: JSON.stringify(version) },
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
};

// The schema's validator, compiled ahead of time (committed too; the bundles include it).
writeValidator();
// The schema editors use (scripts/editor-schema.ts says why it differs); committed too.
writeEditorSchema();
const action = await build({ ...shared, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
const cli = await build({
  ...shared,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  banner: { js: `#!/usr/bin/env node\n${shared.banner.js}` },
});

// Committed and checked like dist/ (scripts/notices.mjs says why); fails the build when a
// bundled package's licence text cannot be found.
writeFileSync('THIRD_PARTY_NOTICES.txt', noticesText(bundledPackageDirs([action.metafile, cli.metafile])));
