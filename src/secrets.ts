/**
 * Secrets are values read from the environment by `${VAR}` / `%(VAR)` and credentials written in
 * URLs. Every piece of text that leaves the process (log, plan, comment, summary, output) passes
 * through `redact` (or a {@link Masker}) first.
 *
 * A secret rarely leaves as typed: a URL percent-encodes it, JSON escapes its quotes, Basic
 * authorization base64-encodes it. {@link secretVariants} lists those forms, after the encoders
 * GitHub's runner registers for every mask (actions/runner, src/Sdk/DTLogging/Logging/
 * ValueEncoders.cs: Base64StringEscape and its two shifts, UriDataEscape, JsonStringEscape,
 * XmlDataEscape); the Action hands the same list to the runner (`core.setSecret`), so both maskers
 * agree.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+)(?::([^\s/@]*))?@/gi;
/** A Basic authorization value is a credential whoever wrote it (`user:pass` in base64). */
const BASIC_AUTHORIZATION = /\b(Basic\s+)[A-Za-z0-9+/]{4,}={0,2}/g;
export const MASK = '***';

/**
 * Below this length a secret is masked only where it stands alone (not inside a word), and is not
 * handed to the runner. actions/runner masks every non-empty value inside every word (its
 * SecretMasker.AddValue skips only empty values), so a one-character token turns `enabled` into
 * `en***led` and a log into noise; the Azure Pipelines agent, built on the same masker, added a
 * minimum secret length for that reason and caps it at 6 (LoggedSecretMasker.MinSecretLengthLimit:
 * "we don't allow to skip secrets longer than 5 characters"). We keep the same bound but still
 * mask a short secret where it is a whole token (`Bearer t`, `token=t&`), which is where a
 * credential appears in what this tool prints, and warn that the value is too short to mask
 * reliably.
 */
export const MIN_SECRET_LENGTH = 6;

export function isShortSecret(value: string): boolean {
  return [...value].length < MIN_SECRET_LENGTH;
}

/**
 * The forms a secret takes on its way out, the secret itself first: percent-encoded as
 * encodeURIComponent, encodeURI, a WHATWG URL path or query and a form body (`+` for space) write
 * it; JSON-escaped (inside quotes); HTML/XML-escaped (Markdown output escapes `<` `>` `&`); and
 * base64 at each of the 3 byte alignments it can have inside a longer base64 text, such as the
 * Basic authorization of `user:pass`. Each base64 form keeps only the characters its own bytes
 * decide (the last ones depend on what follows the secret) and no padding, so it matches inside
 * the longer text.
 */
export function secretVariants(secret: string): string[] {
  return [...new Set([...textForms(secret), ...base64Forms(secret)])];
}

/** The secret as text carries it: plain, percent-encoded, JSON- and HTML-escaped. */
function textForms(secret: string): string[] {
  if (secret.length === 0) return [];
  const bytes = Buffer.from(secret, 'utf8');
  const variants = [
    secret,
    safely(() => encodeURIComponent(secret)),
    safely(() => encodeURI(secret)),
    percentEncode(bytes, PATH_SAFE),
    percentEncode(bytes, QUERY_SAFE),
    new URLSearchParams({ v: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  ];
  return variants.filter((v) => v.length > 0);
}

/**
 * The secret inside base64 text, at each alignment. A form shorter than MIN_SECRET_LENGTH is left
 * out: it only ever sits inside a longer base64 run, never as a token of its own, and masking it
 * inside words would mask unrelated text (`t` in base64 is `d`).
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [0, 1, 2].map((shift) => base64Decided(bytes.subarray(shift))).filter((v) => !isShortSecret(v));
}

/** encodeURI/encodeURIComponent throw on a lone surrogate: that form then cannot occur. */
function safely(encode: () => string): string {
  try {
    return encode();
  } catch {
    return '';
  }
}

/** ASCII the WHATWG URL serializer leaves as is in a path (path percent-encode set's complement). */
const PATH_SAFE = /[!$%&'()*+,\-./0-9:;=@A-Z[\\\]^_a-z|~]/;
/** ...and in a query (query percent-encode set's complement; `'` is encoded for special schemes). */
const QUERY_SAFE = /[!$%&()*+,\-./0-9:;=?@A-Z[\\\]^_`a-z{|}~]/;

function percentEncode(bytes: Uint8Array, safe: RegExp): string {
  let out = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && safe.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** base64 of the bytes, cut to the characters they alone decide: 6 bits each, no padding. */
function base64Decided(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  const full = Buffer.from(bytes).toString('base64').replace(/=+$/, '');
  return full.slice(0, Math.floor((bytes.length * 8) / 6));
}

/**
 * Masks a fixed set of secrets, compiled once into one expression (longest form first, so a
 * secret that contains another is masked whole). Percent escapes match in either case (`%c3` and
 * `%C3`), since encoders differ.
 */
export class Masker {
  readonly #pattern: RegExp | null;

  constructor(secrets: Iterable<string>) {
    const anywhere = new Set<string>();
    const alone = new Set<string>();
    for (const secret of secrets) {
      if (secret.length === 0) continue;
      const short = isShortSecret(secret);
      for (const form of secretVariants(secret)) {
        if (short || isShortSecret(form)) alone.add(form);
        else anywhere.add(form);
      }
    }
    const alternatives = [
      ...[...anywhere].map((form) => ({ form, source: sourceOf(form) })),
      // Alone: no letter or digit right before or after it.
      ...[...alone].map((form) => ({
        form,
        source: `(?<![\\p{L}\\p{N}])${sourceOf(form)}(?![\\p{L}\\p{N}])`,
      })),
    ].sort((a, b) => b.form.length - a.form.length);
    this.#pattern =
      alternatives.length === 0 ? null : new RegExp(alternatives.map((a) => a.source).join('|'), 'gu');
  }

  hide = (text: string): string => {
    const out = this.#pattern === null ? text : text.replace(this.#pattern, MASK);
    return out
      .replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}${MASK}@`)
      .replace(BASIC_AUTHORIZATION, (_m, basic: string) => `${basic}${MASK}`);
  };
}

function sourceOf(form: string): string {
  return form
    .replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    .replace(
      /%([0-9A-F])([0-9A-F])/g,
      (_m, a: string, b: string) => `%[${a}${a.toLowerCase()}][${b}${b.toLowerCase()}]`,
    );
}

export function redact(text: string, secrets: Iterable<string>): string {
  return new Masker(secrets).hide(text);
}
