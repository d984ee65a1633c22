/**
 * Bench: load + validate one cluster file holding N groups (no AWS, no moto).
 *
 *   npm run bench:config             (2,000 / 5,000 / 10,000 / 20,000 groups)
 *   node bench/config-size.ts 50000  (any counts)
 *
 * Every group is one line, `  g00001: { min: 0, max: 4 }`, all in one map: the shape that made
 * validation quadratic in the keys of a map (each position lookup scanned the map, and yaml's
 * duplicate-key check compared each key with all before it). Time per group should stay flat as
 * N grows; the target is under 2 s for 20,000 groups.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrors, loadConfig } from '../src/config/index.ts';

const COUNTS = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [2_000, 5_000, 10_000, 20_000];
const TARGET_MS = 2_000;
const TARGET_GROUPS = 20_000;

function config(groups: number): string {
  const lines = ['region: us-east-1', 'groups:'];
  for (let i = 0; i < groups; i++) lines.push(`  g${String(i).padStart(5, '0')}: { min: 0, max: 4 }`);
  return `${lines.join('\n')}\n`;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-config-'));
try {
  // Warm-up: the first run pays for module loading and JIT, not for the file.
  await writeFile(join(dir, 'fleet.yml'), config(100));
  await loadConfig(dir, { cwd: dir, env: {} });
  let failed = false;
  for (const count of COUNTS) {
    const text = config(count);
    await writeFile(join(dir, 'fleet.yml'), text);
    const started = performance.now();
    const result = await loadConfig(dir, { cwd: dir, env: {} });
    const ms = performance.now() - started;
    if (hasErrors(result.diagnostics) || result.clusters.length !== 1) {
      console.error(`${count} groups: unexpected diagnostics`, result.diagnostics.slice(0, 3));
      failed = true;
      continue;
    }
    const perGroup = (ms * 1000) / count;
    const over = count === TARGET_GROUPS && ms > TARGET_MS ? `  (over the ${TARGET_MS} ms target)` : '';
    console.log(
      `${String(count).padStart(6)} groups  ${(text.length / 1024).toFixed(0).padStart(5)} KiB  ${ms.toFixed(0).padStart(6)} ms  ${perGroup.toFixed(1).padStart(6)} µs/group${over}`,
    );
    if (over) failed = true;
  }
  if (failed) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
