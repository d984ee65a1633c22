/**
 * Helpers the precompiled validator (cluster.validate.js) calls, as ES modules. ajv's own are
 * CommonJS modules exporting `default`, which Node and vitest hand to an importer differently.
 */

/** A string's length in Unicode code points, as JSON Schema's minLength/maxLength count it. */
export function ucs2length(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}
