/**
 * Task sizes kept on disk between runs (`--cache-dir`, the Action's `cache-dir`): a task
 * definition revision never changes once registered, and its number is never reused, so the size
 * read for an ARN with a revision stays true for good. A run that needs the size of a revision an
 * earlier run read makes no DescribeTaskDefinition call for it.
 *
 * One small JSON file, `task-sizes.json`, in the directory. It is a cache, not state: a missing
 * file starts empty; a file that cannot be read, is too large, is not this format or version, or
 * holds a value that is not a size is ignored (a warning says why) and rewritten at the end of the
 * run. At most {@link MAX_ENTRIES} sizes are kept, those used most recently first. Nothing but
 * ARNs and sizes is written. GitHub's runners start empty: keep the directory between runs with
 * actions/cache (README, "Caching task sizes").
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskSize } from '../model.ts';

export const CACHE_FILE = 'task-sizes.json';
/** What the file says it is; another value (an older or newer layout) is ignored. */
export const CACHE_FORMAT = 'autoscale-gitops task sizes';
export const CACHE_VERSION = 1;
/** Sizes kept: a few KB each hundred; more revisions than any config plans at once. */
export const MAX_ENTRIES = 5000;
/** A file larger than this is not ours (5,000 entries take about 0.8 MB). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Only ARNs that name a revision (`...:task-definition/family:12`) are cached: a family name alone
 * (or `family:latest`) can point at a newer revision tomorrow.
 */
const REVISION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;

export function isRevisionArn(arn: string): boolean {
  return REVISION_ARN.test(arn);
}

interface CacheFile {
  readonly format: string;
  readonly version: number;
  /** ARN → size, most recently used first. */
  readonly sizes: Record<string, TaskSize>;
}

export class TaskSizeCache {
  /** Why the file on disk was ignored or could not be written: for the plan's warnings. */
  readonly warnings: string[] = [];
  /** Sizes from the file, in its order (most recently used first). */
  private readonly stored: Map<string, TaskSize>;
  /** Sizes used or read this run, in order of use: they go first when saved. */
  private readonly used = new Map<string, TaskSize>();
  private changed = false;

  readonly dir: string;

  private constructor(dir: string, stored: Map<string, TaskSize>) {
    this.dir = dir;
    this.stored = stored;
  }

  /** Opens the cache in `dir` (created when saved). Never rejects: problems become warnings. */
  static async open(dir: string): Promise<TaskSizeCache> {
    const file = join(dir, CACHE_FILE);
    const warnings: string[] = [];
    let stored = new Map<string, TaskSize>();
    let rewrite = false;
    try {
      const size = (await stat(file)).size;
      if (size > MAX_FILE_BYTES) {
        throw new Error(`it is ${size} bytes, more than the ${MAX_FILE_BYTES} a cache of ours can be`);
      }
      stored = parseCache(await readFile(file, 'utf8'));
    } catch (error) {
      if (!isMissing(error)) {
        warnings.push(
          `task size cache ${file} ignored (${messageOf(error)}); it is rewritten after this run`,
        );
        rewrite = true;
      }
    }
    const cache = new TaskSizeCache(dir, stored);
    cache.warnings.push(...warnings);
    cache.changed = rewrite;
    return cache;
  }

  /** The size of a revision an earlier run read, if kept. */
  get(arn: string): TaskSize | undefined {
    const size = this.used.get(arn) ?? this.stored.get(arn);
    if (size !== undefined && !this.used.has(arn)) {
      this.used.set(arn, size);
      // Its place in the order moves up: worth writing only if the file would drop something.
      if (this.stored.size >= MAX_ENTRIES) this.changed = true;
    }
    return size;
  }

  /** Keeps a size read from AWS this run (ignored for an ARN without a revision). */
  put(arn: string, size: TaskSize): void {
    if (!isRevisionArn(arn)) return;
    this.used.set(arn, { cpu: size.cpu, memory: size.memory, source: size.source });
    this.changed = true;
  }

  /**
   * Writes the file when this run added to it (or it was unreadable): the sizes used this run
   * first, then the others, {@link MAX_ENTRIES} at most. Written to a temporary file and renamed,
   * so a run stopped half-way leaves the old file whole. Never rejects.
   */
  async save(): Promise<void> {
    if (!this.changed) return;
    const sizes: Record<string, TaskSize> = {};
    let n = 0;
    for (const source of [this.used, this.stored]) {
      for (const [arn, size] of source) {
        if (n >= MAX_ENTRIES) break;
        if (arn in sizes) continue;
        sizes[arn] = size;
        n++;
      }
    }
    const body: CacheFile = { format: CACHE_FORMAT, version: CACHE_VERSION, sizes };
    const file = join(this.dir, CACHE_FILE);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temporary, `${JSON.stringify(body)}\n`);
      await rename(temporary, file);
      this.changed = false;
    } catch (error) {
      this.warnings.push(`task size cache ${file} not written (${messageOf(error)})`);
    }
  }
}

/** The sizes of a cache file's text; throws with a short reason for anything else. */
export function parseCache(text: string): Map<string, TaskSize> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  if (!isRecord(data) || data.format !== CACHE_FORMAT) throw new Error('not a task size cache');
  if (data.version !== CACHE_VERSION) {
    throw new Error(`version ${String(data.version)}, this version reads ${CACHE_VERSION}`);
  }
  if (!isRecord(data.sizes)) throw new Error('no sizes');
  const out = new Map<string, TaskSize>();
  for (const [arn, size] of Object.entries(data.sizes)) {
    if (!isRevisionArn(arn))
      throw new Error(`${JSON.stringify(arn.slice(0, 120))} is not a task definition revision`);
    if (!isTaskSize(size)) throw new Error(`the size of ${arn} is not one`);
    out.set(arn, { cpu: size.cpu, memory: size.memory, source: size.source });
    if (out.size > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} sizes`);
  }
  return out;
}

function isTaskSize(value: unknown): value is TaskSize {
  return (
    isRecord(value) &&
    isAmount(value.cpu) &&
    isAmount(value.memory) &&
    (value.source === 'task' || value.source === 'containers')
  );
}

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
