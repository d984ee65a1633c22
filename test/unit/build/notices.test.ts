/** The third-party notices (scripts/notices.ts): every bundled package's licence, or the build fails. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledPackageDirs, noticesText } from '../../../scripts/notices.ts';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'notices-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const pkg = (name: string, license = 'MIT') => JSON.stringify({ name, version: '1.0.0', license });

describe('third-party notices', () => {
  it('finds the packages esbuild bundled, nested copies included', () => {
    const dirs = bundledPackageDirs([
      {
        inputs: {
          'src/index.ts': {},
          'node_modules/yaml/dist/index.js': {},
          'node_modules/@aws-sdk/core/dist-es/index.js': {},
          'node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js': {},
        },
      },
    ]);
    expect(dirs.sort()).toEqual([
      'node_modules/@actions/github/node_modules/@actions/http-client',
      'node_modules/@aws-sdk/core',
      'node_modules/yaml',
    ]);
  });

  it('holds each licence text once, under every package it belongs to', async () => {
    const root = await tree({
      'node_modules/a/package.json': pkg('a'),
      'node_modules/a/LICENSE': 'MIT text A',
      'node_modules/b/package.json': pkg('b'),
      'node_modules/b/LICENCE.md': 'MIT text A',
      'node_modules/c/package.json': pkg('c', 'ISC'),
      'node_modules/c/license.txt': 'ISC text C',
    });
    const text = noticesText(['node_modules/a', 'node_modules/b', 'node_modules/c'], root);
    expect(text).toContain('3 packages are bundled:');
    expect(text.match(/MIT text A/g)).toHaveLength(1);
    expect(text).toContain('a@1.0.0 (MIT)\nb@1.0.0 (MIT)\n====');
    expect(text).toContain('c@1.0.0 (ISC)\n====');
  });

  it('fails, naming the package, when a bundled package has no licence text', async () => {
    const root = await tree({
      'node_modules/a/package.json': pkg('a'),
      'node_modules/a/LICENSE': 'MIT text A',
      'node_modules/unlicensed/package.json': pkg('unlicensed'),
      'node_modules/unlicensed/index.js': '',
    });
    expect(() => noticesText(['node_modules/a', 'node_modules/unlicensed'], root)).toThrow(
      /no licence text for bundled package\(s\): unlicensed@1\.0\.0 \(node_modules\/unlicensed\)/,
    );
  });
});
