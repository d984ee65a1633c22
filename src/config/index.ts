/**
 * The configuration stage of the pipeline: every YAML file under the config directory read,
 * interpolated, validated against the JSON Schema and the semantic rules, before anything
 * touches AWS. Callers stop when `hasErrors(result.diagnostics)`.
 */
import { readdir, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostics.ts';
import { type LoadOptions, loadConfigDirectory, type SourceFile } from './load.ts';
import { clusterSchema, validateSchema } from './schema.ts';
import { type CheckedFile, checkAcrossFiles, checkFile } from './semantic.ts';
import type { ClusterFile } from './types.ts';

export type { Diagnostic } from './diagnostics.ts';
export { formatDiagnostic, hasErrors } from './diagnostics.ts';
export type { SourceFile } from './load.ts';
export { MAX_CONFIG_FILE_BYTES } from './read.ts';
export type * from './types.ts';

export interface LoadConfigOptions extends LoadOptions {
  /** The run's region for files that name none: groups in the same region are compared for duplicates. */
  readonly region?: string;
}

/** A file that passed every check, with its data typed. */
export interface ValidatedCluster {
  readonly file: SourceFile;
  readonly config: ClusterFile;
  /** `config.cluster`, else the file name without extension (ecs-autoscale's rule). */
  readonly cluster: string;
}

export interface ConfigResult {
  /** Every file read (also those with errors), in path order. */
  readonly files: SourceFile[];
  /** The files without errors. Errors in any file still mean the run stops: check `hasErrors`. */
  readonly clusters: ValidatedCluster[];
  /** Sorted by file, line, column. */
  readonly diagnostics: Diagnostic[];
  /**
   * Values read from the environment into text: mask them wherever text leaves the process.
   * Values that were used as numbers or booleans (`min: ${MIN}`) are not included: they are
   * capacities shown in every plan, and masking "3" would mask every 3.
   */
  readonly secrets: Set<string>;
}

/** Reads, interpolates and validates every YAML file under `dir`. Never throws for a config problem. */
export async function loadConfig(dir: string, options: LoadConfigOptions = {}): Promise<ConfigResult> {
  const cwd = options.cwd ?? process.cwd();
  const shownDir = toPosix(relative(cwd, dir)) || '.';
  const at = { file: shownDir, line: 1, col: 1 } as const;
  const problem = await directoryProblem(dir);
  if (problem) {
    return {
      files: [],
      clusters: [],
      diagnostics: [{ ...at, severity: 'error', message: problem }],
      secrets: new Set(),
    };
  }
  const loaded = await loadConfigDirectory(dir, options);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  // (A file that could not be read has its own error: "no YAML files" would contradict it.)
  if (loaded.files.length === 0 && !hasErrors(loaded.diagnostics)) {
    const message = options.only
      ? `no YAML file in ${shownDir} matches --only ${JSON.stringify(options.only)}`
      : `no YAML files (*.yml, *.yaml) in ${shownDir}`;
    diagnostics.push({ ...at, severity: 'error', message });
  }
  const validated = validateSources(loaded.files, options);
  diagnostics.push(...validated.diagnostics);
  return {
    files: loaded.files,
    clusters: validated.clusters,
    diagnostics: sortDiagnostics(diagnostics),
    secrets: validated.secrets,
  };
}

/**
 * Schema and semantic checks over files already parsed (parseSource / loadConfigDirectory).
 * Does not include the files' own parse and interpolation diagnostics: those come with parsing.
 * A file with a parse or interpolation error is not validated further (its data is incomplete)
 * and never becomes a ValidatedCluster.
 */
export function validateSources(
  files: readonly SourceFile[],
  options: { readonly region?: string } = {},
): { clusters: ValidatedCluster[]; diagnostics: Diagnostic[]; secrets: Set<string> } {
  const diagnostics: Diagnostic[] = [];
  const checked: CheckedFile[] = [];
  const secrets = new Set<string>();
  const perFile = new Map<SourceFile, Diagnostic[]>();
  for (const file of files) {
    // A file YAML could not parse has its syntax errors; judging half a document adds noise.
    if (file.doc.errors.length > 0) continue;
    const schema = validateSchema(file);
    const own = [...schema.diagnostics, ...checkFile({ file, data: schema.data }, options)];
    perFile.set(file, own);
    checked.push({ file, data: schema.data });
    for (const [scalar, info] of file.interpolated) {
      if (!schema.typed.has(scalar)) for (const value of info.values) secrets.add(value);
    }
  }
  // By path, not a scan per diagnostic: a fleet split over many files can have many of both.
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const d of checkAcrossFiles(checked, options)) {
    const file = byPath.get(d.file);
    if (file) perFile.get(file)?.push(d);
  }
  const clusters: ValidatedCluster[] = [];
  for (const { file, data } of checked) {
    const own = perFile.get(file) ?? [];
    diagnostics.push(...own);
    const unresolved = [...file.interpolated.values()].some((i) => i.unresolved);
    if (hasErrors(own) || unresolved) continue;
    const config = normalize((data ?? {}) as ClusterFile);
    clusters.push({ file, config, cluster: config.cluster ?? file.stem });
  }
  return { clusters, diagnostics, secrets };
}

/**
 * The few places where the YAML may say one thing two ways and the types promise one:
 * `version: 3` (a YAML number) is handed over as "3", the form AWS takes. Returns a copy.
 */
function normalize(config: ClusterFile): ClusterFile {
  const copy = structuredClone(config);
  for (const group of Object.values(copy.groups ?? {})) {
    const template = group.launch_template;
    if (template && typeof (template.version as unknown) === 'number')
      template.version = String(template.version);
  }
  return copy;
}

/** The JSON Schema of a cluster file, for `autoscale-gitops schema` and editors. */
export function loadSchema(): Record<string, unknown> {
  return clusterSchema();
}

async function directoryProblem(dir: string): Promise<string | undefined> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory())
      return `${dir} is not a directory (--config names the folder holding the cluster files)`;
    await readdir(dir);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `config directory ${dir} does not exist`;
    return `cannot read config directory ${dir}: ${(error as Error).message}`;
  }
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
