import { basename, extname, matchesGlob, relative, sep } from 'node:path';
import { type Document, type LineCounter, type Scalar, YAMLParseError } from 'yaml';
import { aliasOverLimit } from './aliases.ts';
import type { Diagnostic } from './diagnostics.ts';
import { addDuplicateKeyErrors } from './duplicates.ts';
import {
  type Environment,
  type InterpolatedScalar,
  interpolateDocument,
  type MissingEnv,
  mayInterpolate,
} from './interpolate.ts';
import { parseAcceptingPercentValues } from './percent.ts';
import { locationAt } from './positions.ts';
import { quickParse } from './quick-parse.ts';
import { isYamlName, listYamlFiles, readConfigFile } from './read.ts';

/** One configuration file, parsed with positions kept and environment references resolved. */
export interface SourceFile {
  /** Display path: relative to the working directory, forward slashes. */
  readonly path: string;
  /** Path relative to the config directory, used by `--only`. */
  readonly relativePath: string;
  /** File name without extension: the default ECS cluster name. */
  readonly stem: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** Plain data after interpolation; undefined for an empty file. */
  readonly data: unknown;
  /** Scalars whose text came (partly) from `${VAR}` / `%(VAR)`: see InterpolatedScalar. */
  readonly interpolated: ReadonlyMap<Scalar, InterpolatedScalar>;
}

export interface LoadResult {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
  /** Every value read from the environment: mask these wherever text leaves the process. */
  readonly secrets: Set<string>;
}

export interface LoadOptions {
  readonly env?: Environment;
  /** A variable the environment lacks: an error (default) or a warning (interpolate.ts). */
  readonly missingEnv?: MissingEnv;
  /** Glob on the path relative to the config directory, e.g. `prod-*.yml` (for sharding). */
  readonly only?: string;
  /** Base for display paths; default the working directory. */
  readonly cwd?: string;
  /**
   * `yaml` parses every file with yaml's own parser, as before the quick parser
   * (quick-parse.ts): for the bench's before/after figures and the tests that compare the two.
   */
  readonly parser?: ParserChoice;
}

/** `quick` (the default): the quick parser where it applies, yaml's elsewhere. */
export type ParserChoice = 'quick' | 'yaml';

/**
 * Reads every YAML file under `dir` (recursively, symlinks followed, in a stable order) before
 * judging any. A file that cannot be read (too large, not UTF-8, a broken link) is a located
 * error and is left out of `files`.
 */
export async function loadConfigDirectory(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const shown = (absolute: string): string => toPosix(relative(cwd, absolute)) || absolute;
  const wanted = (absolute: string): boolean =>
    !options.only ||
    matchesGlob(toPosix(relative(dir, absolute)), options.only) ||
    matchesGlob(basename(absolute), options.only);
  const listing = await listYamlFiles(dir);
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const secrets = new Set<string>();
  for (const problem of listing.problems) {
    // A broken entry named like a cluster file belongs to a shard only if --only takes it; one
    // named otherwise may have been a folder, which any shard could need.
    if (isYamlName(problem.path) && !wanted(problem.path)) continue;
    diagnostics.push({
      file: shown(problem.path),
      line: 1,
      col: 1,
      severity: 'error',
      message: problem.message,
    });
  }
  for (const absolute of listing.files) {
    if (!wanted(absolute)) continue;
    const read = await readConfigFile(absolute);
    if ('problem' in read) {
      diagnostics.push({ file: shown(absolute), severity: 'error', ...read.problem });
      continue;
    }
    const relativePath = toPosix(relative(dir, absolute));
    const loaded = parseSource(
      read.text,
      shown(absolute),
      relativePath,
      env,
      options.missingEnv,
      options.parser,
    );
    files.push(loaded.file);
    diagnostics.push(...loaded.diagnostics);
    for (const s of loaded.secrets) secrets.add(s);
  }
  return { files, diagnostics: onceEach(diagnostics), secrets };
}

/**
 * A missing variable's warning once, at its first place: the same secret is usually read in
 * many places and files, and a warning per place would bury everything else.
 */
function onceEach(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    if (d.severity !== 'warning' || !d.message.startsWith('environment variable ')) return true;
    if (seen.has(d.message)) return false;
    seen.add(d.message);
    return true;
  });
}

/** Parses one file's text; exported for unit tests and for configs that do not live on disk. */
export function parseSource(
  text: string,
  path: string,
  relativePath: string = path,
  env: Environment = process.env,
  missingEnv: MissingEnv = 'error',
  parser: ParserChoice = 'quick',
): { file: SourceFile; diagnostics: Diagnostic[]; secrets: Set<string> } {
  // A repeated key is an error instead of last-one-wins; yaml's own check (uniqueKeys) is
  // quadratic in a map's keys, so ours runs instead (duplicates.ts).
  // The common shape of a file by the quick parser (quick-parse.ts), anything else by yaml.
  const parseOptions = { prettyErrors: false, uniqueKeys: false, merge: false } as const;
  const quick = parser === 'quick' ? quickParse(text, parseOptions) : undefined;
  const { doc, lineCounter } = quick ?? parseAcceptingPercentValues(text, parseOptions);
  if (!quick?.uniqueKeys) addDuplicateKeyErrors(doc);
  const positioned = { path, doc, lineCounter, text };
  // Interpolation and conversion to data first: what they find wrong with the document (an
  // alias bomb) joins the parser's errors, and the file is judged no further.
  let secrets = new Set<string>();
  let interpolated: ReadonlyMap<Scalar, InterpolatedScalar> = new Map();
  let data: unknown;
  const later: Diagnostic[] = [];
  if (doc.errors.length === 0) {
    const interpolation = interpolateDocument(positioned, env, missingEnv);
    later.push(...interpolation.diagnostics);
    secrets = interpolation.secrets;
    interpolated = interpolation.interpolated;
    // The quick parser's data is the nodes' data while interpolation has left them as parsed.
    data = quick && !mayInterpolate(text) ? quick.data : toData(doc);
  }
  const diagnostics: Diagnostic[] = [];
  // One YAML error per line: after the first, the parser's recovery tends to repeat itself
  // (`a: * * *` gives one "empty alias" and then an "unexpected alias" per star).
  const linesWithProblems = new Set<number>();
  for (const problem of [...doc.errors, ...doc.warnings]) {
    const line = lineCounter.linePos(problem.pos[0]).line;
    if (linesWithProblems.has(line)) continue;
    linesWithProblems.add(line);
    // `{ key: ${VAR} }`: in flow collections `{` ends a plain scalar; the value needs quotes.
    const flowReference = text[problem.pos[0]] === '{' && text[problem.pos[0] - 1] === '$';
    diagnostics.push({
      ...locationAt(positioned, problem.pos[0]),
      severity: doc.errors.includes(problem as never) ? 'error' : 'warning',
      message:
        yamlMessage(problem.code, problem.message) +
        (flowReference
          ? ': inside { } or [ ], quote a value holding ${VAR}, e.g. { token: "${TOKEN}" }'
          : ''),
    });
  }
  diagnostics.push(...later);
  const stem = basename(path, extname(path));
  return {
    file: { path, relativePath, stem, text, doc, lineCounter, data, interpolated },
    diagnostics,
    secrets,
  };
}

/**
 * The document as plain data, or undefined with an error added to `doc.errors`. yaml throws
 * here, without a position, when aliases expand past `maxAliasCount` copies (an "alias bomb":
 * a few lines that expand to gigabytes); the error goes to the alias that passed the limit
 * rather than out of the loader.
 */
function toData(doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const at = aliasOverLimit(doc, MAX_ALIAS_COUNT)?.range?.[0] ?? doc.contents?.range?.[0] ?? 0;
    const detail = error instanceof Error ? error.message : String(error);
    const message = /alias count/i.test(detail)
      ? `this alias takes the file past ${MAX_ALIAS_COUNT} copies of anchored values (an alias bomb?): write the values out`
      : detail;
    doc.errors.push(new YAMLParseError([at, at + 1], 'RESOURCE_EXHAUSTION', message));
    return undefined;
  }
}

/** Aliases a file may expand: plenty for shared settings, far too few for an alias bomb. */
const MAX_ALIAS_COUNT = 100;

function yamlMessage(code: string, message: string): string {
  // yaml's messages end with a source excerpt when prettyErrors is on; ours are one line.
  const first = message.split('\n')[0] ?? message;
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'duplicate key: each key may appear once in a map';
    case 'TAB_AS_INDENT':
      return 'YAML: tabs are not allowed as indentation: indent with spaces';
    case 'MULTIPLE_DOCS':
      return 'YAML: a cluster file holds one document: remove the second "---" or split the file';
    case 'BAD_ALIAS':
      return `YAML: ${first}: a value starting with * (or &) must be quoted, e.g. recurrence: "* * * * *"`;
    default:
      return `YAML: ${first.replace(/ at line \d+, column \d+.*$/, '')}`;
  }
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
