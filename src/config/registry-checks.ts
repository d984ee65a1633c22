/**
 * The checks of one `prune.registries.<name>` that JSON Schema cannot express: which placeholders
 * each place may use (a located error for an unknown one, or one not available there), that a
 * request names its entry at all, that a placeholder in a command is not inside quotes (the tool
 * quotes it), that `entry` names its instance back through `instance`, and that `for_groups`
 * names groups of this file. Like every semantic check, each one looks at types first and stays
 * silent about values of the wrong type: the schema has said what is wrong with those.
 */
import type { PlaceholderName } from '../model.ts';
import { compilePattern, DEFAULT_INSTANCE_PATTERN, matchEntry } from '../registries/match.ts';
import {
  isPlaceholderName,
  placeholdersIn,
  replacePlaceholders,
  SAMPLE_VALUES,
} from '../registries/placeholders.ts';
import type { Path } from './positions.ts';
import { quotingAt } from './shell-quote.ts';

type Obj = Record<string, unknown>;

export interface RegistryReporter {
  error(path: Path, message: string, options?: { readonly offset?: number; readonly key?: boolean }): void;
  warning(path: Path, message: string, options?: { readonly offset?: number; readonly key?: boolean }): void;
  where(path: Path): string;
}

export interface RegistryContext {
  /** The names under this file's `groups:`. */
  readonly groups: readonly string[];
  /** What is wrong with an http(s) URL (semantic.ts), phrased to follow its path. */
  readonly urlProblem: (url: string) => string | undefined;
}

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Which placeholders each place may use. */
const ALLOWED: Readonly<Record<'delete' | 'register' | 'entry', readonly PlaceholderName[]>> = {
  delete: ['id', 'instance', 'entry', 'private_ip', 'public_ip', 'az', 'group'],
  register: ['instance', 'entry', 'private_ip', 'public_ip', 'az', 'group'],
  entry: ['instance', 'private_ip', 'public_ip', 'az', 'group'],
};

/** Why a known placeholder is not available in a place. */
const NOT_THERE: Readonly<Partial<Record<string, string>>> = {
  'register:id':
    '{id} is a listed entry, and a register has none: use {entry} (the id the entry should have)',
  'entry:id':
    '{id} is a listed entry: entry spells the id an instance should have, from {instance} and the like',
  'entry:entry': 'entry cannot use itself',
};

/** At least one of these must appear, or every request would hit the same thing. */
const IDENTIFYING: Readonly<Record<'delete' | 'register', readonly PlaceholderName[]>> = {
  delete: ['id', 'entry', 'instance'],
  register: ['entry', 'instance', 'private_ip', 'public_ip'],
};

export function checkRegistry(
  r: RegistryReporter,
  path: Path,
  registry: unknown,
  ctx: RegistryContext,
): void {
  if (!isObj(registry)) return;
  const list = isObj(registry.list) ? registry.list : undefined;
  if (registry.delete === undefined && registry.register === undefined) {
    r.error(
      path,
      'a registry needs delete (to prune its stale entries), register (to add missing ones), or both',
      {
        key: true,
      },
    );
  }

  // list: plain text, no templates; an http(s) URL when it is a request.
  if (list) {
    for (const [valuePath, text] of templateValues([...path, 'list'], list)) {
      for (const found of placeholdersIn(text)) {
        r.error(valuePath, `{${found.name}} is not replaced in list (only register and delete are filled)`, {
          offset: found.index,
        });
      }
    }
    const url = str(list.url);
    if (url !== undefined && list.command === undefined) {
      const problem = ctx.urlProblem(url);
      if (problem) r.error([...path, 'list', 'url'], `${r.where([...path, 'list', 'url'])} ${problem}`);
    }
  }

  const used = new Set<PlaceholderName>();
  for (const place of ['delete', 'register'] as const) {
    const spec = registry[place];
    if (!isObj(spec)) continue;
    const names = checkRequest(r, [...path, place], spec, place, ctx);
    for (const name of names) used.add(name);
  }

  const entry = str(registry.entry);
  if (entry !== undefined) {
    let mentionsInstance = false;
    for (const found of placeholdersIn(entry)) {
      if (found.name === 'instance') mentionsInstance = true;
      const problem = placeholderProblem('entry', found.name);
      if (problem) r.error([...path, 'entry'], problem, { offset: found.index });
    }
    if (!mentionsInstance) {
      r.error(
        [...path, 'entry'],
        'entry must contain {instance}: the id an instance should have names the instance (or every instance would share one entry)',
      );
    }
  }

  const instance = str(registry.instance);
  let patternOk = true;
  if (instance !== undefined) {
    let groups: number | undefined;
    try {
      groups = (new RegExp(`${instance}|`).exec('')?.length ?? 1) - 1;
    } catch (error) {
      patternOk = false;
      const detail = (error instanceof Error ? error.message : String(error)).replace(/^.*: /, '');
      r.error([...path, 'instance'], `instance is not a valid regular expression: ${detail}`);
    }
    if (groups === 0) {
      patternOk = false;
      r.error(
        [...path, 'instance'],
        'instance needs a capture group around the instance id, like ^(i-[0-9a-f]+)$',
      );
    }
  }

  // The entry an instance should have must name that instance through the pattern, or presence
  // could not be checked (it would be added again each run) and it could never be pruned.
  if (patternOk && (registry.register !== undefined || entry !== undefined || used.has('entry'))) {
    const template = entry ?? '{instance}';
    // Placeholders entry may not use ({id}, {entry}, unknown names: errors above) stay as written.
    const filled = replacePlaceholders(template, (name) =>
      isPlaceholderName(name) ? SAMPLE_VALUES[name] : undefined,
    );
    const pattern = instance ?? DEFAULT_INSTANCE_PATTERN;
    const match = matchEntry(compilePattern(pattern), filled);
    if (!match.ours || match.instanceId !== SAMPLE_VALUES.instance) {
      r.error(
        entry === undefined ? [...path] : [...path, 'entry'],
        `entry ${JSON.stringify(template)} (e.g. ${JSON.stringify(filled)}) is not named back to its instance by instance ${JSON.stringify(pattern)}: set entry and instance so that the pattern's first group captures {instance}`,
        entry === undefined ? { key: true } : {},
      );
    }
  }

  // for_groups: groups of this file; required by register and by the sweep.
  const forGroups = Array.isArray(registry.for_groups) ? registry.for_groups : undefined;
  forGroups?.forEach((name, index) => {
    if (typeof name !== 'string' || ctx.groups.includes(name)) return;
    const known =
      ctx.groups.length === 0 ? 'this file has no groups' : `its groups: ${ctx.groups.join(', ')}`;
    r.error(
      [...path, 'for_groups', index],
      `for_groups names ${JSON.stringify(name)}, which is not a group of this file (${known})`,
    );
  });
  if (registry.register !== undefined && forGroups === undefined) {
    r.error(
      [...path, 'register'],
      'register needs for_groups: the groups whose InService instances should be in the registry',
      {
        key: true,
      },
    );
  }
  if (registry.sweep !== undefined && forGroups === undefined) {
    r.error(
      [...path, 'sweep'],
      "sweep: membership needs for_groups: the groups an entry's instance must belong to",
      {
        key: true,
      },
    );
  }
  if (registry.sweep !== undefined && registry.delete === undefined) {
    r.error([...path, 'sweep'], 'sweep needs delete: the sweep prunes entries', { key: true });
  }
  // With the default pattern every entry named by a bare instance id is ours: in a registry shared
  // with other fleets (an account-wide Chef server) the sweep would take every running non-member.
  if (registry.sweep !== undefined && registry.instance === undefined) {
    r.warning(
      [...path, 'sweep'],
      "sweep: membership with the default instance pattern claims every entry named by an instance id, other fleets' too: set instance to a pattern only this fleet's entries match (like ^web-(i-[0-9a-f]+)$)",
      { key: true },
    );
  }
}

/** Checks one register/delete; returns the known placeholders it uses. */
function checkRequest(
  r: RegistryReporter,
  path: Path,
  spec: Obj,
  place: 'delete' | 'register',
  ctx: RegistryContext,
): Set<PlaceholderName> {
  const used = new Set<PlaceholderName>();
  let misspelt = false;
  for (const [valuePath, text] of [
    ...templateValues(path, spec),
    ...payloadValues([...path, 'payload'], spec.payload),
  ]) {
    for (const found of placeholdersIn(text)) {
      const problem = placeholderProblem(place, found.name);
      if (problem === undefined) used.add(found.name as PlaceholderName);
      else {
        misspelt = true;
        r.error(valuePath, problem, { offset: found.index });
      }
    }
  }
  for (const keyPath of payloadKeysWithPlaceholders([...path, 'payload'], spec.payload)) {
    r.error(keyPath, 'placeholders are filled in payload values, not in keys', { key: true });
  }
  const command = str(spec.command);
  if (command !== undefined) {
    for (const found of placeholdersIn(command)) {
      const quoting = quotingAt(command, found.index);
      if (quoting === undefined) continue;
      const written = `{${found.name}}`;
      const quoted = quoting === 'double' ? `"${written}"` : `'${written}'`;
      r.error(
        [...path, 'command'],
        `${written} stands inside ${quoting === 'double' ? 'double' : 'single'} quotes: the command gets it shell-quoted already, so don't quote it (write ${written}, not ${quoted})`,
        { offset: found.index },
      );
    }
  }
  const key = spec.command !== undefined ? 'command' : 'url';
  const identifying = IDENTIFYING[place];
  if (str(spec[key]) !== undefined && !misspelt && !identifying.some((name) => used.has(name))) {
    const names = identifying.map((n) => `{${n}}`).join(', ');
    r.error(
      [...path, key],
      `${place}.${key} (or its ${key === 'url' ? 'headers or payload' : 'arguments'}) must contain one of ${names}: without it every ${place === 'delete' ? 'deletion' : 'addition'} targets the same thing`,
    );
  }
  const url = str(spec.url);
  if (url !== undefined && spec.command === undefined) {
    const problem = ctx.urlProblem(replacePlaceholders(url, () => 'x'));
    if (problem) r.error([...path, 'url'], `${r.where([...path, 'url'])} ${problem}`);
  }
  return used;
}

function placeholderProblem(place: 'delete' | 'register' | 'entry', name: string): string | undefined {
  if (!isPlaceholderName(name)) {
    const names = ALLOWED[place].map((n) => `{${n}}`).join(', ');
    return `unknown placeholder {${name}}: ${place} may use ${names}`;
  }
  if (ALLOWED[place].includes(name)) return undefined;
  return NOT_THERE[`${place}:${name}`] ?? `{${name}} is not available in ${place}`;
}

/** The string values of a spec that may hold templates: url, command, header values. */
function templateValues(path: Path, spec: Obj): [Path, string][] {
  const out: [Path, string][] = [];
  for (const key of ['url', 'command'] as const) {
    const text = str(spec[key]);
    if (text !== undefined) out.push([[...path, key], text]);
  }
  if (isObj(spec.headers)) {
    for (const [name, value] of Object.entries(spec.headers)) {
      const text = str(value);
      if (text !== undefined) out.push([[...path, 'headers', name], text]);
    }
  }
  return out;
}

/** The string values inside a payload, with their paths. */
function payloadValues(path: Path, value: unknown): [Path, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => payloadValues([...path, i], item));
  if (isObj(value)) return Object.entries(value).flatMap(([k, v]) => payloadValues([...path, k], v));
  return [];
}

function payloadKeysWithPlaceholders(path: Path, value: unknown): Path[] {
  if (Array.isArray(value))
    return value.flatMap((item, i) => payloadKeysWithPlaceholders([...path, i], item));
  if (!isObj(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(placeholdersIn(k).length > 0 ? [[...path, k]] : []),
    ...payloadKeysWithPlaceholders([...path, k], v),
  ]);
}
