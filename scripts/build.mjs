// Bundles the Action (dist/index.js) and the CLI (dist/cli.js) as ES modules with their
// dependencies, for Node 24 (the Action runtime). dist/ is committed: a check in CI rebuilds it
// from nothing and fails when it differs, so what runs is what was reviewed.
//
// One build with code splitting: what a command needs only sometimes (the AWS SDK, the GitHub
// client, the planners) is imported dynamically by the shells and lands in dist/chunks/, loaded
// only when a command reaches it. `--version` and the Action's validate then no longer compile
// and evaluate megabytes they never run. Chunk names carry a hash of their content, so the same
// sources give the same files; dist/ is emptied first so a chunk no longer written cannot linger.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { writeEditorSchema } from './editor-schema.ts';
import { bundledPackageDirs, noticesText } from './notices.ts';
import { writeValidator } from './validator.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// The schema's validator, compiled ahead of time (committed too; the bundles include it).
writeValidator();
// The schema editors use (scripts/editor-schema.ts says why it differs); committed too.
writeEditorSchema();

/**
 * @actions/core imports its OIDC client (for `getIDToken`) at the top, and with it
 * @actions/http-client and undici: 800 KB that every run of the Action would compile and
 * evaluate before reading its first input, for a function it never calls. This stands in for
 * that one module with a class of the same shape that imports the real one on first use, so the
 * OIDC client and undici land in a chunk of their own and `core.getIDToken` still works.
 */
const lazyActionsOidc = {
  name: 'lazy-actions-oidc',
  setup(build) {
    build.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, (args) => {
      if (!/[\\/]@actions[\\/]core[\\/]lib[\\/]/.test(args.importer)) return undefined;
      // A path without this machine's folders: it names the stand-in in the bundle's comments.
      return {
        path: '@actions/core/lib/oidc-utils.js',
        namespace: 'lazy-actions-oidc',
        pluginData: { real: join(dirname(args.importer), 'oidc-utils.js') },
      };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-actions-oidc' }, (args) => ({
      resolveDir: dirname(args.pluginData.real),
      contents: `export class OidcClient {
  static async getIDToken(audience) {
    const real = await import('./oidc-utils.js');
    return real.OidcClient.getIDToken(audience);
  }
}
`,
    }));
  },
};

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // Packages' ES module entry points first (esbuild's default for node is main, then module):
  // ES modules can be tree-shaken, CommonJS cannot. For our dependencies (the AWS SDK, mathjs,
  // undici) this cuts the bundles by a third and the cold start accordingly (README, Performance).
  mainFields: ['module', 'main'],
  plugins: [lazyActionsOidc],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // What was bundled, for the third-party notices.
  metafile: true,
  define: { __AUTOSCALE_GITOPS_VERSION__: JSON.stringify(version) },
  // Some dependencies are CommonJS and call require() for Node built-ins; every file gets its own
  // require (a chunk is a module of its own). src/cli.ts's #! line stays first in dist/cli.js.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});

// Committed and checked like dist/ (scripts/notices.ts says why); fails the build when a
// bundled package's licence text cannot be found.
// The stand-in above is no package of its own (@actions/core's files are bundled, and counted).
const inputs = Object.fromEntries(
  Object.entries(result.metafile.inputs).filter(([path]) => !path.startsWith('lazy-actions-oidc:')),
);
writeFileSync('THIRD_PARTY_NOTICES.txt', noticesText(bundledPackageDirs([{ inputs }])));
