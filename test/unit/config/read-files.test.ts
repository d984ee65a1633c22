import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ConfigResult,
  formatDiagnostic,
  loadConfig,
  MAX_CONFIG_FILE_BYTES,
} from '../../../src/config/index.ts';
import { firstInvalidUtf8, readConfigFile } from '../../../src/config/read.ts';

const scratch = await mkdtemp(join(tmpdir(), 'read-files-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
let counter = 0;

/** A fresh directory: `files` maps a path to its text (a string) or its bytes. */
async function folder(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = join(scratch, `case-${++counter}`);
  await mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const load = (dir: string): Promise<ConfigResult> => loadConfig(dir, { env: {}, cwd: dir });
const lines = (result: ConfigResult): string[] => result.diagnostics.map(formatDiagnostic);
const GROUP = 'groups:\n  web:\n    min: 1\n    max: 3\n';
const OTHER = 'groups:\n  api:\n    min: 1\n    max: 3\n';

describe('file size cap', () => {
  it('is 4 MiB', () => {
    expect(MAX_CONFIG_FILE_BYTES).toBe(4 * 1024 * 1024);
  });

  it('reports a 50 MB file at its first line with its size and the limit, and reads the others', async () => {
    const dir = await folder({ 'ok.yml': GROUP, 'big.yml': '' });
    // Sparse: 50 MB on paper, nothing on disk; reading it whole would still cost 50 MB.
    await truncate(join(dir, 'big.yml'), 50 * 1024 * 1024);
    const result = await load(dir);
    expect(lines(result)).toEqual([
      'big.yml:1:1: error: file is too large: 50 MiB (52428800 bytes), over the 4 MiB limit for a cluster file (split it into several files)',
    ]);
    expect(result.files.map((f) => f.path)).toEqual(['ok.yml']);
  });

  it('counts bytes as they are read, not only as the file claims', async () => {
    const dir = await folder({ 'a.yml': 'x'.repeat(101), 'b.yml': 'x'.repeat(100) });
    expect(await readConfigFile(join(dir, 'a.yml'), 100)).toEqual({
      problem: {
        line: 1,
        col: 1,
        message: expect.stringMatching(/^file is too large: .*over the 0\.0 MiB limit/),
      },
    });
    expect(await readConfigFile(join(dir, 'b.yml'), 100)).toEqual({ text: 'x'.repeat(100) });
  });

  it('does not read a device behind a link named like a cluster file', async () => {
    const dir = await folder();
    await symlink('/dev/zero', join(dir, 'zero.yml'));
    expect(lines(await load(dir))).toEqual([
      'zero.yml:1:1: error: not a regular file: a cluster file must be a plain file',
    ]);
  });
});

describe('text that is not UTF-8', () => {
  it('is an error at the line and column of the first invalid byte', async () => {
    const text = Buffer.concat([
      Buffer.from('groups:\n  web:\n    min: 1\n    max: 3\n    tags: { note: "Zü'),
      Buffer.from([0xe9]),
      Buffer.from('" }\n'),
    ]);
    const result = await load(await folder({ 'latin1.yml': text }));
    // `    tags: { note: "Zü` is 21 characters (ü is one, in two bytes): the byte is the 22nd.
    expect(lines(result)).toEqual([
      'latin1.yml:5:22: error: not UTF-8 text: byte 0xE9 here is not valid UTF-8 (save the file as UTF-8)',
    ]);
    expect(result.clusters).toEqual([]);
  });

  it('keeps a byte-order mark and real U+FFFD characters working', async () => {
    const result = await load(await folder({ 'bom.yml': `\uFEFF${GROUP.replace('web', 'w\uFFFDb')}` }));
    expect(lines(result)).toEqual([]);
    expect(Object.keys(result.clusters[0]?.config.groups ?? {})).toEqual(['w\uFFFDb']);
  });

  it('finds the first invalid byte as TextDecoder judges it', () => {
    const at = (...bytes: number[]): number => firstInvalidUtf8(Uint8Array.from(bytes));
    expect(at(0x61, 0xc3, 0xa9, 0x62)).toBe(-1); // aéb
    expect(at(0x61, 0xc0, 0x80)).toBe(1); // overlong NUL
    expect(at(0x61, 0xed, 0xa0, 0x80)).toBe(1); // a surrogate
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // past U+10FFFF
    expect(at(0x61, 0x62, 0xe2, 0x82)).toBe(2); // cut short at the end
    expect(at(0xf0, 0x9f, 0x98, 0x80, 0x80)).toBe(4); // an emoji, then a stray continuation
  });
});

describe('symlinks under the config directory', () => {
  it('reads a linked cluster file and a linked folder', async () => {
    const outside = await folder({ 'shared.yml': GROUP, 'team/api.yml': OTHER });
    const dir = await folder();
    await symlink(join(outside, 'shared.yml'), join(dir, 'web.yml'));
    await symlink(join(outside, 'team'), join(dir, 'team'));
    const result = await load(dir);
    expect(lines(result)).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['team/api.yml', 'web.yml']);
    expect(result.clusters.map((c) => c.cluster)).toEqual(['api', 'web']);
  });

  it('reports a link back to a folder it is in, once, and reads everything else', async () => {
    const dir = await folder({ 'a/web.yml': GROUP });
    await symlink('..', join(dir, 'a', 'up'));
    const result = await load(dir);
    expect(lines(result)).toEqual([
      'a/up:1:1: error: symlink loop: this link leads back to a folder it is in, so the folder would be read forever',
    ]);
    expect(result.files.map((f) => f.path)).toEqual(['a/web.yml']);
  });

  it('reports links that lead to each other', async () => {
    const dir = await folder({ 'ok.yml': GROUP });
    await symlink('b.yml', join(dir, 'a.yml'));
    await symlink('a.yml', join(dir, 'b.yml'));
    expect(lines(await load(dir))).toEqual([
      'a.yml:1:1: error: symlink loop: this link leads back to itself through other links',
      'b.yml:1:1: error: symlink loop: this link leads back to itself through other links',
    ]);
  });

  it('reports a dangling link, whatever its name (it may have been a folder)', async () => {
    const dir = await folder({ 'ok.yml': GROUP });
    await symlink('gone.yml', join(dir, 'web.yml'));
    await symlink('../teams', join(dir, 'teams'));
    expect(lines(await load(dir))).toEqual([
      'teams:1:1: error: dangling symlink: "../teams" does not exist',
      'web.yml:1:1: error: dangling symlink: "gone.yml" does not exist',
    ]);
  });

  it('leaves a broken link out of a shard that --only does not take', async () => {
    const dir = await folder({ 'prod-a.yml': GROUP });
    await symlink('gone.yml', join(dir, 'dev-b.yml'));
    const result = await loadConfig(dir, { env: {}, cwd: dir, only: 'prod-*.yml' });
    expect(lines(result)).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['prod-a.yml']);
  });
});
