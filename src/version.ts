import { readFileSync } from 'node:fs';

// The build defines this (scripts/build.mjs), so the bundles carry the version and nothing else
// of package.json: a dev-dependency bump does not change dist/.
declare const __AUTOSCALE_GITOPS_VERSION__: string | undefined;

function sourceVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export const VERSION: string =
  typeof __AUTOSCALE_GITOPS_VERSION__ === 'string' ? __AUTOSCALE_GITOPS_VERSION__ : sourceVersion();
