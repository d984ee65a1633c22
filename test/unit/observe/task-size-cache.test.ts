/** The task size cache's file (observe/task-size-cache.ts): what it takes, keeps and refuses. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CACHE_FILE,
  CACHE_FORMAT,
  isRevisionArn,
  MAX_ENTRIES,
  parseCache,
  TaskSizeCache,
} from '../../../src/observe/task-size-cache.ts';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7';
const SIZE = { cpu: 256, memory: 512, source: 'containers' as const };
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'task-size-cache-'));
  dirs.push(dir);
  return dir;
}
const file = (sizes: unknown, version: unknown = 1) =>
  JSON.stringify({ format: CACHE_FORMAT, version, sizes });

describe('task size cache', () => {
  it('keeps only ARNs that name a revision', () => {
    expect(isRevisionArn(ARN)).toBe(true);
    expect(isRevisionArn('arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:12')).toBe(true);
    expect(isRevisionArn('arn:aws:ecs:us-east-1:123456789012:task-definition/web')).toBe(false);
    expect(isRevisionArn('web:7')).toBe(false);
  });

  it('refuses what is not its format, version or a size, saying why', () => {
    expect(parseCache(file({ [ARN]: SIZE }))).toEqual(new Map([[ARN, SIZE]]));
    expect(() => parseCache('{')).toThrow('not JSON');
    expect(() => parseCache('[]')).toThrow('not a task size cache');
    expect(() => parseCache(file({}, 2))).toThrow('version 2, this version reads 1');
    expect(() => parseCache(file({ [ARN]: { ...SIZE, cpu: -1 } }))).toThrow(`the size of ${ARN} is not one`);
    expect(() => parseCache(file({ [ARN]: { ...SIZE, source: 'guess' } }))).toThrow('is not one');
    expect(() => parseCache(file({ 'web:7': SIZE }))).toThrow('is not a task definition revision');
  });

  it('writes what a run read, reads it back, and leaves no file when nothing was read', async () => {
    const dir = await tempDir();
    const empty = await TaskSizeCache.open(dir);
    await empty.save();
    await expect(readFile(join(dir, CACHE_FILE), 'utf8')).rejects.toThrow('ENOENT');
    empty.put(ARN, SIZE);
    empty.put('arn:aws:ecs:us-east-1:123456789012:task-definition/web', SIZE);
    await empty.save();
    const again = await TaskSizeCache.open(dir);
    expect(again.warnings).toEqual([]);
    expect(again.get(ARN)).toEqual(SIZE);
    expect(again.get('arn:aws:ecs:us-east-1:123456789012:task-definition/web')).toBeUndefined();
  });

  it('ignores an unreadable file with a warning and rewrites it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, CACHE_FILE), file({ [ARN]: { cpu: 'lots' } }));
    const cache = await TaskSizeCache.open(dir);
    expect(cache.get(ARN)).toBeUndefined();
    expect(cache.warnings).toEqual([
      `task size cache ${join(dir, CACHE_FILE)} ignored (the size of ${ARN} is not one); it is rewritten after this run`,
    ]);
    await cache.save();
    expect(parseCache(await readFile(join(dir, CACHE_FILE), 'utf8'))).toEqual(new Map());
  });

  it(`keeps at most ${MAX_ENTRIES} sizes, this run's first`, async () => {
    const dir = await tempDir();
    const arn = (i: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/f:${i}`;
    const old = Object.fromEntries(Array.from({ length: MAX_ENTRIES }, (_, i) => [arn(i), SIZE]));
    await writeFile(join(dir, CACHE_FILE), file(old));
    const cache = await TaskSizeCache.open(dir);
    cache.put(arn(MAX_ENTRIES), SIZE);
    await cache.save();
    const kept = parseCache(await readFile(join(dir, CACHE_FILE), 'utf8'));
    expect(kept.size).toBe(MAX_ENTRIES);
    expect([...kept.keys()][0]).toBe(arn(MAX_ENTRIES));
    expect(kept.has(arn(MAX_ENTRIES - 1))).toBe(false);
  });
});
