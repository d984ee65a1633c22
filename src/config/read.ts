import type { Dirent } from 'node:fs';
import { open, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/**
 * Finding and reading the cluster files on disk: which files (symlinks followed, loops and
 * dangling links reported), and each file's text (bounded in size, strictly UTF-8). Every
 * problem is a message for the path it concerns; load.ts turns them into located diagnostics.
 */

/**
 * The largest cluster file read. The biggest real fleets are well under 1 MiB per file; a file
 * past this is a mistake (a generated dump, a binary) and parsing it could exhaust memory.
 */
export const MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024;

const YAML_EXTENSIONS = new Set(['.yml', '.yaml']);

export function isYamlName(name: string): boolean {
  return YAML_EXTENSIONS.has(extname(name).toLowerCase());
}

export interface ListingProblem {
  /** The entry concerned, under the config directory (not resolved through links). */
  readonly path: string;
  readonly message: string;
}

export interface Listing {
  /** YAML files under the directory, through symlinks, as paths under it; sorted. */
  readonly files: string[];
  readonly problems: ListingProblem[];
}

/**
 * Every `*.yml` / `*.yaml` under `dir`, recursively. A symlink counts as what it points to (a
 * cluster file or folder kept elsewhere and linked in is read); a link leading back into a
 * folder it sits in, or to nothing, is a problem rather than a hang or a silent skip. A link
 * that leads to nothing may have meant a folder of cluster files, so any dangling link is
 * reported, whatever its name.
 */
export async function listYamlFiles(dir: string): Promise<Listing> {
  const files: string[] = [];
  const problems: ListingProblem[] = [];
  await walk(dir, new Set([await realpath(dir)]));
  files.sort();
  problems.sort((a, b) => a.path.localeCompare(b.path));
  return { files, problems };

  /** `ancestors`: the real paths of the folders from `dir` down to this one. */
  async function walk(folder: string, ancestors: ReadonlySet<string>): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: folder, message: `cannot read folder: ${reason(error)}` });
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      let kind: 'file' | 'folder' | 'other' = entry.isDirectory()
        ? 'folder'
        : entry.isFile()
          ? 'file'
          : 'other';
      if (entry.isSymbolicLink()) {
        const followed = await follow(path);
        if ('problem' in followed) {
          problems.push({ path, message: followed.problem });
          continue;
        }
        kind = followed.kind;
      }
      if (kind === 'folder') {
        const real = await realpath(path).catch(() => path);
        if (ancestors.has(real)) {
          problems.push({
            path,
            message:
              'symlink loop: this link leads back to a folder it is in, so the folder would be read forever',
          });
          continue;
        }
        await walk(path, new Set([...ancestors, real]));
      } else if (isYamlName(entry.name)) {
        if (kind === 'file') files.push(path);
        else problems.push({ path, message: 'not a regular file: a cluster file must be a plain file' });
      }
    }
  }
}

/** What a symlink leads to, or what is wrong with it. */
async function follow(path: string): Promise<{ kind: 'file' | 'folder' | 'other' } | { problem: string }> {
  const problem = (message: string) => ({ problem: message });
  try {
    const info = await stat(path);
    return { kind: info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'other' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return problem('symlink loop: this link leads back to itself through other links');
    if (code === 'ENOENT') {
      const target = await readlink(path).catch(() => undefined);
      return problem(
        `dangling symlink: ${target === undefined ? 'its target' : JSON.stringify(target)} does not exist`,
      );
    }
    return problem(`cannot follow symlink: ${reason(error)}`);
  }
}

export type ReadResult =
  | { readonly text: string }
  | { readonly problem: { readonly line: number; readonly col: number; readonly message: string } };

/**
 * The file's text. Reads at most MAX_CONFIG_FILE_BYTES + 1 bytes whatever the file claims (it
 * may grow while read, or be a device behind a link), so a huge file costs no more memory than
 * the cap. Text must be UTF-8: a byte that is not is reported at its line and column instead of
 * becoming U+FFFD (a silently changed name or value). A byte-order mark is kept, as before.
 */
export async function readConfigFile(path: string, limit = MAX_CONFIG_FILE_BYTES): Promise<ReadResult> {
  const at = (message: string) => ({ problem: { line: 1, col: 1, message } });
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) return at('not a regular file: a cluster file must be a plain file');
      if (info.size > limit) return at(tooBig(info.size, limit));
      const chunks: Buffer[] = [];
      let total = 0;
      while (total <= limit) {
        const room = limit + 1 - total;
        const chunk = Buffer.allocUnsafe(Math.min(room, Math.max(64 * 1024, info.size + 1 - total)));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        total += bytesRead;
      }
      if (total > limit) return at(tooBig(undefined, limit));
      bytes = Buffer.concat(chunks, total);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return at(`cannot read file: ${reason(error)}`);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
    // Columns count UTF-16 units, like yaml's positions everywhere else.
    const col = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return {
      problem: {
        line,
        col,
        message: `not UTF-8 text: byte 0x${byte} here is not valid UTF-8 (save the file as UTF-8)`,
      },
    };
  }
}

function tooBig(size: number | undefined, limit: number): string {
  const mib = (n: number): string => `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  const shown = size === undefined ? 'more than the limit' : `${mib(size)} (${size} bytes)`;
  return `file is too large: ${shown}, over the ${mib(limit)} limit for a cluster file (split it into several files)`;
}

/**
 * Offset of the first byte that does not begin or continue a well-formed UTF-8 sequence (the
 * lead byte of a truncated one), by the rules TextDecoder applies: no overlong forms, no
 * surrogates, nothing past U+10FFFF. -1 when every byte is fine.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let more: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) more = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      more = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      more = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= more; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < low || next > high) return i;
      low = 0x80;
      high = 0xbf;
    }
    i += more + 1;
  }
  return -1;
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message.replace(/^\w+: /, '')}` : String(e.message ?? error);
}
