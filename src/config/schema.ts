import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { isScalar, type Scalar } from 'yaml';
import schemaJson from '../../schemas/cluster.schema.json' with { type: 'json' };
// The schema, compiled ahead of time by scripts/validator.ts with createAjv (ajv.ts).
import { validate as precompiled } from './cluster.validate.js';
import type { Diagnostic, Location } from './diagnostics.ts';
import type { SourceFile } from './load.ts';
import { locate, nodeAt, type Path, pointerToPath } from './positions.ts';

/**
 * JSON Schema validation of one cluster file (schemas/cluster.schema.json), with ajv's errors
 * turned into located diagnostics a person can act on: unknown keys at the key with a
 * "did you mean", missing keys at the map, wrong values at the value, one message per mistake.
 */

/** The JSON Schema of a cluster file (a copy: callers may not change ours). */
export function clusterSchema(): Record<string, unknown> {
  return structuredClone(schemaJson) as Record<string, unknown>;
}

export interface SchemaValidation {
  readonly diagnostics: Diagnostic[];
  /** The file's data, with environment-typed values in place (see below): what later stages read. */
  readonly data: unknown;
  /** Scalars whose typed value was used instead of the interpolated string. */
  readonly typed: ReadonlySet<Scalar>;
}

/**
 * Validates `file.data` against the schema.
 *
 * Environment values are strings: `min: ${MIN}` with MIN=3 holds "3" after interpolation. We do
 * not turn on ajv's coerceTypes (it would also accept `min: "3"` written in the file, and turn
 * `cluster: 123` into a string silently). Instead, narrowly: a scalar that (1) had a reference
 * resolved by interpolation, (2) is plain (unquoted: quotes ask for a string), (3) whose whole
 * resolved text reads as a YAML number or boolean, and (4) where the schema rejected the string,
 * takes that typed value, and the file is validated again. A `cluster: ${NAME}` resolving to
 * "123" stays the string "123", because the schema accepts a string there.
 */
export function validateSchema(file: SourceFile): SchemaValidation {
  const validate = precompiled;
  let data = file.data;
  let errors = run(validate, data);
  const typed = new Set<Scalar>();
  if (errors.length > 0 && file.interpolated.size > 0) {
    const replacements: { path: string[]; value: number | boolean }[] = [];
    const done = new Set<string>();
    for (const error of errors) {
      if (done.has(error.instancePath)) continue;
      const path = pointerToPath(error.instancePath);
      const node = nodeAt(file, path);
      if (!isScalar(node)) continue;
      const info = file.interpolated.get(node);
      if (!info || info.quoted || info.typed === undefined || !wantsTyped(error, info.typed)) continue;
      done.add(error.instancePath);
      typed.add(node);
      replacements.push({ path, value: info.typed });
    }
    if (replacements.length > 0) {
      data = structuredClone(data);
      for (const { path, value } of replacements) data = setAt(data, path, value);
      errors = run(validate, data);
    }
  }
  // A value still holding an unresolved `${VAR}` has its error already ("not set"); saying
  // that the literal text is not a number would only repeat it.
  errors = errors.filter((e) => !isUnresolved(file, pointerToPath(e.instancePath)));
  return { diagnostics: describeErrors(file, data, errors), data, typed };
}

function isUnresolved(file: SourceFile, path: Path): boolean {
  const node = nodeAt(file, path);
  return isScalar(node) && file.interpolated.get(node)?.unresolved === true;
}

/**
 * Whether `error` says the schema wants a value of `typed`'s type here: a `type` error naming it,
 * or (where the schema takes text too, like `grace: 600 | "10m"`) the text failing its pattern.
 * `region: ${R}` with R=true stays text: the schema wants text there, so "true" is just a bad name.
 */
function wantsTyped(error: ErrorObject, typed: number | boolean): boolean {
  const types = typeList(error.keyword === 'type' ? error.params.type : error.parentSchema?.type);
  if (error.keyword !== 'type' && !types.includes('string')) return false;
  if (typeof typed === 'boolean') return types.includes('boolean');
  return types.includes('number') || (types.includes('integer') && Number.isInteger(typed));
}

function run(validate: ValidateFunction, data: unknown): ErrorObject[] {
  // An empty file (or one holding only comments) has no data; semantic checks warn about it
  // rather than "must be a map".
  if (data === undefined || data === null) return [];
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

function setAt(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    node = child(node, path[i] as string);
  }
  const last = path[path.length - 1] as string;
  if (Array.isArray(node)) node[Number(last)] = value;
  else if (isRecord(node)) node[last] = value;
  return root;
}

function child(node: unknown, segment: string): unknown {
  if (Array.isArray(node)) return node[Number(segment)];
  if (isRecord(node)) return node[segment];
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// From ajv's errors to diagnostics

/** Turns ajv errors into diagnostics: noise collapsed, each located, deduplicated. */
export function describeErrors(
  file: SourceFile,
  data: unknown,
  errors: readonly ErrorObject[],
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of collapse(errors)) {
    const described = describe(file, data, error);
    const key = `${described.line}:${described.col}:${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({ ...described, severity: 'error' });
  }
  return diagnostics;
}

/**
 * ajv reports every way a value failed; a person needs the one that matters:
 * - `if` errors only say "must match then": the branch's own errors say why;
 * - `propertyNames` is reported once per bad name, by its inner error (which knows the name);
 * - oneOf/anyOf report every branch: a schema with an `errorMessage` gets that one message;
 *   otherwise the branches whose type did not even match are dropped and the branch with the
 *   fewest errors speaks for the rest (all types wrong: one "must be X or Y");
 * - where a value has the wrong type, that is the only thing said about it.
 * Branch errors are found by schemaPath prefix, so oneOf/anyOf branches in the schema are inline
 * (a $ref inside a branch would report paths relative to its target).
 */
function collapse(errors: readonly ErrorObject[]): ErrorObject[] {
  let list = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames');
  const composites = list
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const composite of composites) {
    if (!list.includes(composite)) continue;
    const prefix = `${composite.schemaPath}/`;
    const branchErrors = list.filter((e) => e.schemaPath.startsWith(prefix));
    list = list.filter((e) => !e.schemaPath.startsWith(prefix));
    if (typeof composite.parentSchema?.errorMessage === 'string') continue;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of branchErrors) {
      const index = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(index, [...(branches.get(index) ?? []), e]);
    }
    const viable = [...branches.values()].filter(
      (errs) => !errs.some((e) => e.keyword === 'type' && e.instancePath === composite.instancePath),
    );
    if (viable.length === 0 || (composite.keyword === 'oneOf' && composite.params.passingSchemas)) {
      // Keep the composite: described as "must be X or Y" from the branches' types.
      (composite as ErrorObject & { branchTypes?: string[] }).branchTypes = branchErrors
        .filter((e) => e.keyword === 'type')
        .flatMap((e) => typeList(e.params.type));
      continue;
    }
    const best = viable.reduce((a, b) => (b.length < a.length ? b : a));
    list = list.filter((e) => e !== composite).concat(best);
  }
  const typeErrorAt = new Map<string, ErrorObject>();
  for (const e of list) {
    if (e.keyword === 'type' && e.propertyName === undefined && !typeErrorAt.has(e.instancePath)) {
      typeErrorAt.set(e.instancePath, e);
    }
  }
  return list.filter((e) => {
    const typeError = typeErrorAt.get(e.instancePath);
    return typeError === undefined || e === typeError || e.propertyName !== undefined;
  });
}

interface Described extends Location {
  readonly message: string;
}

function describe(file: SourceFile, data: unknown, e: ErrorObject): Described {
  const path = pointerToPath(e.instancePath);
  const where = displayPath(data, path);
  const schema: AnySchemaObject = e.parentSchema ?? {};
  const at = (p: Path, key = false): Location => locate(file, p, { key });
  const custom = typeof schema.errorMessage === 'string' ? schema.errorMessage : undefined;

  // A map key that is not a valid name: the inner error of propertyNames.
  if (e.propertyName !== undefined) {
    const problem =
      (typeof schema.patternErrorMessage === 'string' && e.keyword === 'pattern'
        ? schema.patternErrorMessage
        : undefined) ??
      custom ??
      valueProblem(e, file, path);
    return {
      ...at([...path, e.propertyName], true),
      message: `invalid name ${JSON.stringify(e.propertyName)} in ${where}: ${problem}`,
    };
  }

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
      const container = path.length === 0 ? 'at the top level' : `in ${where}`;
      const special = schema.additionalPropertiesErrorMessage;
      if (typeof special === 'string') {
        return {
          ...at([...path, key], true),
          message: `unknown key ${JSON.stringify(key)} ${container}: ${special}`,
        };
      }
      const suggestion = didYouMean(key, allowed);
      const hint = suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : '';
      return {
        ...at([...path, key], true),
        message: `unknown key ${JSON.stringify(key)} ${container} (allowed: ${allowed.join(', ')})${hint}`,
      };
    }
    case 'required': {
      // At the key naming the map (`worker:`), where an editor's squiggle reads right; a map in
      // a list has no key, so it is the map itself.
      const key = String(e.params.missingProperty);
      const container = path.length === 0 ? 'at the top level' : `in ${where}`;
      return { ...at(path, true), message: `missing required key ${JSON.stringify(key)} ${container}` };
    }
    case 'dependentRequired': {
      const property = String(e.params.property);
      const missing = String(e.params.missingProperty);
      const deps = String(e.params.deps)
        .split(',')
        .map((s) => s.trim())
        .join(' and ');
      return {
        ...at([...path, property], true),
        message: `missing key ${JSON.stringify(missing)} in ${where}: ${property} needs ${deps} as well`,
      };
    }
    case 'not': {
      // `not: { required: [a, b] }` ("not both"): point at the second key, where the conflict is.
      const notSchema = e.schema as AnySchemaObject | undefined;
      const keys = Array.isArray(notSchema?.required) ? (notSchema.required as string[]) : [];
      const last = keys.at(-1);
      const location = last !== undefined ? at([...path, last], true) : at(path);
      return { ...location, message: withSubject(where, custom ?? 'is not allowed here') };
    }
    case 'false schema':
      return { ...at(path), message: `${where} is not allowed here` };
    case 'oneOf':
    case 'anyOf': {
      // A map that lacks a combination of keys: at its key, like a missing key.
      if (custom) return { ...at(path, isRecord(e.data)), message: withSubject(where, custom) };
      const types = (e as ErrorObject & { branchTypes?: string[] }).branchTypes ?? [];
      const text =
        types.length > 0
          ? `must be ${joinOr([...new Set(types)].map(typeName))}`
          : 'does not match any allowed form';
      return { ...at(path), message: `${where} ${text}${got(e.data, file, path)}` };
    }
    case 'type': {
      const expected = typeList(e.params.type);
      const scalarOnly = !expected.includes('object') && !expected.includes('array');
      if (path.length === 0) {
        return {
          ...at(path),
          message: `a cluster file must be a map of keys (region:, services:, groups:, ...)${got(e.data, file, path)}`,
        };
      }
      const text = custom && scalarOnly ? custom : `must be ${joinOr(expected.map(typeName))}`;
      return {
        ...at(path),
        message: `${where} ${text}${got(e.data, file, path)}${typeHint(e.data, expected, file, path)}`,
      };
    }
    case 'uniqueItems': {
      const i = Number(e.params.i);
      const j = Number(e.params.j);
      const [first, second] = i < j ? [i, j] : [j, i];
      return {
        ...at([...path, second]),
        message: `${where} lists the same item twice (items ${first + 1} and ${second + 1})`,
      };
    }
    default:
      return { ...at(path), message: withSubject(where, valueProblem(e, file, path)) };
  }
}

/** What is wrong with a value, for the keywords that judge one (pattern, enum, minimum, ...). */
function valueProblem(e: ErrorObject, file: SourceFile, path: Path): string {
  const schema: AnySchemaObject = e.parentSchema ?? {};
  const custom = typeof schema.errorMessage === 'string' ? schema.errorMessage : undefined;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'pattern':
      return (
        (typeof schema.patternErrorMessage === 'string' ? schema.patternErrorMessage : undefined) ??
        custom ??
        `must match ${String(p.pattern)}`
      );
    case 'format':
      return custom ?? `must be a valid ${String(p.format)}`;
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const fromEnv = isFromEnvironment(file, path);
      const suggestion = typeof e.data === 'string' && !fromEnv ? didYouMean(e.data, allowed) : undefined;
      const list = allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`;
      const shown =
        typeof e.data === 'string' && !fromEnv
          ? ` (got ${JSON.stringify(e.data)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ''})`
          : '';
      return custom ?? `must be ${list}${shown}`;
    }
    case 'const':
      return custom ?? `must be ${JSON.stringify(p.allowedValue)}`;
    case 'minimum':
      return custom ?? `must be at least ${String(p.limit)}`;
    case 'maximum':
      return custom ?? `must be at most ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return custom ?? `must be greater than ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return custom ?? `must be less than ${String(p.limit)}`;
    case 'multipleOf':
      return custom ?? `must be a multiple of ${String(p.multipleOf)}`;
    case 'minLength':
      return (
        custom ??
        (p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`)
      );
    case 'maxLength':
      return custom ?? `must be at most ${String(p.limit)} characters long`;
    case 'minItems':
      return (
        custom ??
        (p.limit === 1 ? 'must list at least one item' : `must list at least ${String(p.limit)} items`)
      );
    case 'maxItems':
      return custom ?? `must list at most ${String(p.limit)} items`;
    case 'minProperties':
      return (
        custom ?? (p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} entries`)
      );
    case 'maxProperties':
      return custom ?? `must have at most ${String(p.limit)} entries`;
    default:
      return custom ?? e.message ?? `fails ${e.keyword}`;
  }
}

/** "services.worker.min must ..." but "groups.web: give a or b, not both". */
function withSubject(where: string, text: string): string {
  return /^(must|needs|only|is|may)\b/.test(text) ? `${where} ${text}` : `${where}: ${text}`;
}

function typeList(type: unknown): string[] {
  if (Array.isArray(type)) return type.map(String);
  return String(type)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function typeName(type: string): string {
  switch (type) {
    case 'object':
      return 'a map';
    case 'array':
      return 'a list';
    case 'string':
      return 'text';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    default:
      return type;
  }
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function isFromEnvironment(file: SourceFile, path: Path): boolean {
  const node = nodeAt(file, path);
  return isScalar(node) && file.interpolated.has(node);
}

/** " (got a list)": the kind of value found; the value itself only when it is a number or boolean
 * written in the file (text may hold a secret read from the environment). */
function got(value: unknown, file: SourceFile, path: Path): string {
  if (value === null || value === undefined) return ' (it is empty)';
  if (Array.isArray(value)) return ' (got a list)';
  if (typeof value === 'object') return ' (got a map)';
  if (typeof value === 'string') return ' (got text)';
  if (isFromEnvironment(file, path)) return '';
  return ` (got ${String(value)})`;
}

const YAML11_BOOLEANS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

function typeHint(value: unknown, expected: readonly string[], file: SourceFile, path: Path): string {
  const wantsNumber = expected.includes('integer') || expected.includes('number');
  const node = nodeAt(file, path);
  const info = isScalar(node) ? file.interpolated.get(node) : undefined;
  if (typeof value === 'string' && info?.quoted && info.typed !== undefined) {
    return `; the value comes from the environment: remove the quotes around it to read it as ${typeof info.typed === 'boolean' ? 'true or false' : 'a number'}`;
  }
  if (typeof value === 'string' && expected.includes('boolean') && YAML11_BOOLEANS.test(value)) {
    return '; YAML 1.2 reads yes/no/on/off as text: write true or false';
  }
  if (typeof value === 'string' && wantsNumber && !info && /^[-+]?\d+(\.\d+)?$/.test(value.trim())) {
    return '; remove the quotes to write a number';
  }
  if (typeof value === 'string' && expected.includes('array') && !expected.includes('string')) {
    return '; write a list, e.g. [ item ] or one "- item" per line';
  }
  return '';
}

const PLAIN_KEY = /^[A-Za-z0-9_$/-]+$/;

/** `services.worker.events[0].metric`; keys that are not plain names are quoted. */
export function displayPath(data: unknown, path: Path): string {
  if (path.length === 0) return 'the file';
  let out = '';
  let node: unknown = data;
  for (const segment of path) {
    const text = String(segment);
    if (Array.isArray(node)) out += `[${text}]`;
    else if (PLAIN_KEY.test(text)) out += out === '' ? text : `.${text}`;
    else out += `[${JSON.stringify(text)}]`;
    node = child(node, text);
  }
  return out;
}

/** The closest candidate to `word` by edit distance, when close enough to be a likely typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = levenshtein(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string alignment):
 * `mni` is one edit from `min`, as a person sees it.
 */
export function levenshtein(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}
