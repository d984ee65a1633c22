/**
 * Secrets are values read from the environment by `${VAR}` / `%(VAR)` and credentials written in
 * URLs. Every piece of text that leaves the process (log, plan, comment, summary, output) passes
 * through `redact` first.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+)(?::([^\s/@]*))?@/gi;
export const MASK = '***';

export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  const values = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  for (const value of values) out = out.split(value).join(MASK);
  return out.replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}${MASK}@`);
}
