/**
 * The quoting in force at each character of a shell command, as sh reads it: registry commands
 * (`delete.command`) have their placeholders replaced by a shell-quoted word, so a placeholder
 * the author put inside quotes gets quoted twice: `"{id}"` runs with the quotes in the value
 * (`'i-0abc'`), and `'{id}'` takes the value outside quotes again, where a crafted id could run
 * as code.
 */
export type Quoting = 'single' | 'double' | 'ansi-c';

/** The quotes `index` stands inside in `command`, or undefined when it stands outside any. */
export function quotingAt(command: string, index: number): Quoting | undefined {
  let state: Quoting | undefined;
  for (let i = 0; i < index && i < command.length; i++) {
    const c = command[i];
    if (state === 'single') {
      if (c === "'") state = undefined;
    } else if (state === 'double' || state === 'ansi-c') {
      if (c === '\\') i++;
      else if (c === (state === 'double' ? '"' : "'")) state = undefined;
    } else if (c === '\\') {
      i++;
    } else if (c === "'") {
      state = 'single';
    } else if (c === '"') {
      state = 'double';
    } else if (c === '$' && command[i + 1] === "'") {
      state = 'ansi-c';
      i++;
    }
  }
  return state;
}
