import { mkdtempSync, copyFileSync, readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from './src/config/index.ts';
import { formatDiagnostic } from './src/config/diagnostics.ts';
const base = mkdtempSync('/tmp/all-');
for (const name of readdirSync('test/fixtures/invalid').sort()) {
  const dir = join(base, name); mkdirSync(dir);
  copyFileSync(join('test/fixtures/invalid', name), join(dir, name));
  const env: Record<string,string> = {};
  for (const m of readFileSync(join(dir, name), 'utf8').matchAll(/^# env: (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  const r = await loadConfig(dir, { env, cwd: dir });
  for (const d of r.diagnostics) console.log(formatDiagnostic(d));
}
