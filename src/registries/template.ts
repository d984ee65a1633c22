/** `{id}` in delete templates (not `${id}`: that is an environment reference, resolved earlier). */
const ID = /(?<![$])\{id\}/g;

export function fillId(template: string, value: string): string {
  return template.replace(ID, () => value);
}

/** One shell word, whatever the text: single quotes, with each `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
