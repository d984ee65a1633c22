/**
 * What each entry point of the committed dist/ loads before it runs a command: the files reached
 * through static imports from dist/index.js and dist/cli.js. The AWS SDK, the GitHub client and
 * the pipeline must not be among them (scripts/build.mjs splits them into chunks that the shells
 * import when a command needs them), or `--version` and the Action's validate would compile and
 * evaluate megabytes they never run. Read from the bundles' module comments (`// node_modules/…`,
 * `// src/…`: esbuild names each module it inlines), so the check is the files as shipped.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = resolve(import.meta.dirname, '../../../dist');

const STATIC_IMPORT =
  /^(?:import|export)\s[^;]*?\sfrom\s*"(\.{1,2}\/[^"]+)";?|^import\s*"(\.{1,2}\/[^"]+)";?/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g;
// From the first node_modules/, src/ or schemas/ on: a build through a symlinked node_modules
// names the module by its real path.
const MODULE_COMMENT = /^\/\/ (?:\S*?\/)?((?:node_modules|src|schemas)\/\S+)$/gm;

/** Files loaded from `entry`: through static imports only, or through dynamic ones as well. */
function reachable(entry: string, withDynamic: boolean): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(STATIC_IMPORT))
      visit(join(dirname(file), (match[1] ?? match[2]) as string));
    if (withDynamic)
      for (const match of text.matchAll(DYNAMIC_IMPORT)) visit(join(dirname(file), match[1] as string));
  };
  visit(join(DIST, entry));
  return [...seen];
}

/** The source modules bundled into those files. */
function modulesOf(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(MODULE_COMMENT)].map((m) => m[1] as string),
  );
}

/** What only planning, applying or talking to GitHub needs. */
const ON_DEMAND = [
  /^node_modules\/@aws-sdk\//,
  /^node_modules\/@smithy\//,
  /^node_modules\/@actions\/github\//,
  /^node_modules\/@octokit\//,
  /(^|\/)node_modules\/undici\//,
  /^src\/pipeline\.ts$/,
  /^src\/(aws|observe|apply|metrics)\//,
  // Registries' reads and writes; their id patterns and placeholders are pure text that validate checks.
  /^src\/registries\/(?!match\.ts$|template\.ts$|placeholders\.ts$)/,
  // The planners (plan/format.ts is the renderers' number formatting, and pure; prune/common.ts
  // names target groups for the renderer).
  /^src\/plan\/(index\.ts|groups\/|ecs\/|prune\/(?!common\.ts$)|targets\/)/,
];

const onDemand = (modules: readonly string[]) => modules.filter((m) => ON_DEMAND.some((re) => re.test(m)));

describe('what the entry points load before running a command', () => {
  it('the Action (dist/index.js) loads no AWS SDK, GitHub client or pipeline to start', () => {
    const modules = modulesOf(reachable('index.js', false));
    expect(modules).toContain('src/action.ts');
    expect(modules).toContain('src/config/index.ts');
    expect(onDemand(modules)).toEqual([]);
  });

  it('the CLI (dist/cli.js) loads no package at all before it knows the command', () => {
    const modules = modulesOf(reachable('cli.js', false));
    expect(modules).toContain('src/cli/commands.ts');
    expect(modules.filter((m) => m.includes('node_modules/'))).toEqual([]);
  });

  it('what is left out is still there, in chunks the entry points import when needed', () => {
    for (const entry of ['index.js', 'cli.js']) {
      const modules = modulesOf(reachable(entry, true));
      expect(modules, entry).toContain('src/pipeline.ts');
      expect(
        modules.some((m) => m.startsWith('node_modules/@aws-sdk/client-auto-scaling/')),
        entry,
      ).toBe(true);
    }
    expect(
      modulesOf(reachable('index.js', true)).some((m) => m.startsWith('node_modules/@actions/github/')),
    ).toBe(true);
  });
});
