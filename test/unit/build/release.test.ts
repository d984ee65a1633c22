/**
 * The release set-up, checked locally (release-please's own dry run needs the GitHub API): the
 * manifest, the config and the workflow agree with each other and with package.json, tags are
 * `vX.Y.Z`, and a release moves `vX`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '../../..');
const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

interface Job {
  readonly needs?: string;
  readonly if?: string;
  readonly outputs?: Record<string, string>;
  readonly steps: readonly {
    readonly id?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
  }[];
}

describe('release-please', () => {
  const config = json('release-please-config.json');
  const manifest = json('.release-please-manifest.json');
  const pkg = json('package.json');
  const workflow = parse(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8')) as {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
  };

  it("releases the root package, whose manifest version is package.json's", () => {
    expect(Object.keys(config.packages)).toEqual(['.']);
    expect(config['release-type']).toBe('node');
    expect(manifest).toEqual({ '.': pkg.version });
    expect(config.packages['.']['package-name']).toBe(pkg.name);
  });

  it('tags vX.Y.Z (no component prefix) and writes CHANGELOG.md', () => {
    expect(config['include-v-in-tag']).toBe(true);
    expect(config['include-component-in-tag']).toBe(false);
    const changelog = config.packages['.']['changelog-path'];
    expect(existsSync(join(ROOT, changelog))).toBe(true);
    expect(readFileSync(join(ROOT, changelog), 'utf8')).toMatch(/^# Changelog\n/);
    const releaseAs = config.packages['.']['release-as'];
    if (releaseAs !== undefined) expect(releaseAs).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs on main with the same config and manifest files, and moves the major tag after a release', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] } });
    const release = workflow.jobs['release-please'];
    const step = release?.steps.find((s) => s.uses?.startsWith('googleapis/release-please-action@'));
    expect(step?.with).toEqual({
      'config-file': 'release-please-config.json',
      'manifest-file': '.release-please-manifest.json',
    });
    expect(release?.outputs?.released).toBe('${{ steps.release.outputs.release_created }}');
    const move = workflow.jobs['move-major-tag'];
    expect(move?.needs).toBe('release-please');
    expect(move?.if).toBe("needs.release-please.outputs.released == 'true'");
    expect(move?.steps.map((s) => s.run ?? '').join('\n')).toContain('git push -f origin "refs/tags/$MAJOR"');
    // The release pull request gets the dist/ that embeds its new version.
    const dist = workflow.jobs['dist-in-release-pr'];
    expect(dist?.steps.map((s) => s.run ?? '').join('\n')).toContain('npm run build');
  });
});
