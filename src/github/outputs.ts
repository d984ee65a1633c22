/**
 * Where the plan goes besides the comment and the summary: the step's outputs and the JSON plan
 * file (its path is the `plan-json` output, so a later step can upload or read it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** `clusters only=web*.yml` → `clusters-only-web-.yml`: a file name from a marker key. */
export function fileSlug(key: string): string {
  const slug = key
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 100);
  return slug || 'config';
}

/**
 * `$RUNNER_TEMP/autoscale-gitops/plan-<key>.json`: the runner empties RUNNER_TEMP after each job,
 * and the checkout stays clean (a file in the workspace would show in `git status`).
 */
export function planJsonPath(env: Env, key: string): string {
  const base = env.RUNNER_TEMP || tmpdir();
  return join(base, 'autoscale-gitops', `plan-${fileSlug(key)}.json`);
}

export async function writePlanJson(path: string, json: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, json, { mode: 0o600 });
}
