/**
 * Placeholders of a registry's `entry`, `register` and `delete`: `{id}` (the listed entry),
 * `{instance}`, `{entry}`, `{private_ip}`, `{public_ip}`, `{az}`, `{group}`. Their values come from
 * outside (a registry's listing, a group's name, EC2), so each is escaped for its place, never
 * pasted raw: URL-encoded in a URL, shell-quoted in a command, JSON-encoded in a payload (the
 * value goes into a string of the YAML's payload, and the payload is serialised as a whole), and
 * refused in a header when it could split one. `${VAR}` is an environment reference, resolved
 * before any of this, so `${id}` is not a placeholder.
 *
 * A placeholder whose value is unknown (the public IP of an instance without one) is an error,
 * never an empty string: a request with a hole in it could hit the wrong thing.
 */
import type { JsonValue, PlaceholderName, PlaceholderValues, RegistryRequestSpec } from '../model.ts';
import { shellQuote } from './template.ts';

export const PLACEHOLDER_NAMES: readonly PlaceholderName[] = [
  'id',
  'instance',
  'entry',
  'private_ip',
  'public_ip',
  'az',
  'group',
];

/** What each placeholder stands for, for messages and docs. */
export const PLACEHOLDER_MEANING: Readonly<Record<PlaceholderName, string>> = {
  id: 'the listed entry id',
  instance: 'the instance id',
  entry: "the entry id the instance should have (the registry's entry)",
  private_ip: "the instance's private IP",
  public_ip: "the instance's public IP",
  az: "the instance's availability zone",
  group: "the instance's Auto Scaling group",
};

const PATTERN = /(?<![$])\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface FoundPlaceholder {
  /** As written between the braces (may be an unknown name). */
  readonly name: string;
  /** Offset of the `{` in the text. */
  readonly index: number;
}

export function placeholdersIn(text: string): FoundPlaceholder[] {
  return [...text.matchAll(PATTERN)].map((m) => ({ name: m[1] as string, index: m.index }));
}

export function isPlaceholderName(name: string): name is PlaceholderName {
  return (PLACEHOLDER_NAMES as readonly string[]).includes(name);
}

export class PlaceholderError extends Error {
  override readonly name = 'PlaceholderError';
}

/** Each placeholder (by the name written) replaced by `replace`'s text; undefined keeps it as written. */
export function replacePlaceholders(template: string, replace: (name: string) => string | undefined): string {
  return template.replace(PATTERN, (whole, name: string) => replace(name) ?? whole);
}

/**
 * Values of the right shape for every placeholder an instance has (not `{id}` or `{entry}`):
 * validation fills templates with them to see what they spell.
 */
export const SAMPLE_VALUES: Readonly<PlaceholderValues> = {
  instance: 'i-0123456789abcdef0',
  group: 'web-asg',
  az: 'us-east-1a',
  private_ip: '10.0.0.1',
  public_ip: '10.0.0.1',
};

/** Replaces the known placeholders, each value escaped by `encode`; unknown names stay as written. */
function fill(template: string, values: PlaceholderValues, encode: (value: string) => string): string {
  return replacePlaceholders(template, (name) => {
    if (!isPlaceholderName(name)) return undefined;
    const value = values[name];
    if (value === undefined)
      throw new PlaceholderError(`{${name}} (${PLACEHOLDER_MEANING[name]}) is not known`);
    return encode(value);
  });
}

/** As is: for the entry id an instance should have (it is escaped again where it is used). */
export function fillText(template: string, values: PlaceholderValues): string {
  return fill(template, values, (v) => v);
}

/** In a URL: each value URL-encoded (`/`, `?`, `#` and spaces cannot change the URL's shape). */
export function fillUrl(template: string, values: PlaceholderValues): string {
  return fill(template, values, encodeURIComponent);
}

/** In a header value: as is, but a value that could split the header (CR, LF, NUL) is refused. */
export function fillHeader(template: string, values: PlaceholderValues): string {
  return fill(template, values, (v) => {
    if (/[\r\n\0]/.test(v))
      throw new PlaceholderError('a value contains a line break or NUL: not sent in a header');
    return v;
  });
}

/** In a shell command: each value one single-quoted word; NUL (which sh cannot carry) is refused. */
export function fillCommand(template: string, values: PlaceholderValues): string {
  return fill(template, values, (v) => {
    if (v.includes('\0')) throw new PlaceholderError('a value contains NUL: not run');
    return shellQuote(v);
  });
}

/**
 * In a payload: placeholders are filled inside string values (a value that is exactly one
 * placeholder stays a string); numbers, booleans and null keep their type; keys are not filled.
 * The caller serialises the result with JSON.stringify, which escapes quotes and control
 * characters: no value can leave its string.
 */
export function fillPayload(payload: JsonValue, values: PlaceholderValues): JsonValue {
  if (typeof payload === 'string') return fillText(payload, values);
  if (Array.isArray(payload)) return payload.map((item: JsonValue) => fillPayload(item, values));
  if (payload !== null && typeof payload === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(payload)) out[key] = fillPayload(value, values);
    return out;
  }
  return payload;
}

/** Every known placeholder a request uses (URL, headers, payload strings, command). */
export function placeholdersOfRequest(spec: RegistryRequestSpec): Set<PlaceholderName> {
  const texts =
    spec.kind === 'command'
      ? [spec.command]
      : [spec.url, ...Object.values(spec.headers), ...payloadStrings(spec.payload ?? null)];
  return namesIn(texts);
}

/** Every known placeholder in `texts`. */
export function namesIn(texts: readonly string[]): Set<PlaceholderName> {
  const out = new Set<PlaceholderName>();
  for (const text of texts)
    for (const { name } of placeholdersIn(text)) if (isPlaceholderName(name)) out.add(name);
  return out;
}

/** The placeholders among `names` that `values` lacks. */
export function missingOf(names: Iterable<PlaceholderName>, values: PlaceholderValues): PlaceholderName[] {
  return [...names].filter((name) => values[name] === undefined);
}

export function payloadStrings(payload: JsonValue): string[] {
  if (typeof payload === 'string') return [payload];
  if (Array.isArray(payload)) return payload.flatMap((item: JsonValue) => payloadStrings(item));
  if (payload !== null && typeof payload === 'object') return Object.values(payload).flatMap(payloadStrings);
  return [];
}
