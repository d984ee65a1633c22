/**
 * Bench: the config stage (load + validate, `loadConfig`) on the bench fleet's YAML, with the
 * quick parser (src/config/quick-parse.ts) and with yaml's own parser (as before it), in the
 * same run, so the ratio is the figure to quote.
 *
 *   npm run bench:load                  (7 rounds)
 *   node bench/config-load.ts --runs 15 [--dir DIR]   (DIR: read that config instead)
 *
 * Each measurement is a fresh process that imports the config module and then loads the files
 * once: what a plan does (bench/lib/measure.ts times the plan's stages the same way), so the
 * figures include the parsers' first, unoptimised runs. Rounds alternate the two parsers, so a
 * machine that gets busier during the run slows both alike. Both must give the same diagnostics
 * and the same validated data, or the bench fails.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParserChoice } from '../src/config/load.ts';

interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
  /** Hash of the diagnostics and the validated clusters: equal for both parsers. */
  readonly digest: string;
  readonly diagnostics: number;
  readonly clusters: number;
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    dir: { type: 'string' },
    child: { type: 'string' },
    parser: { type: 'string' },
  },
});

if (values.child !== undefined) {
  // Child: one cold load, figures as JSON on stdout.
  const { loadConfig, formatDiagnostic } = await import('../src/config/index.ts');
  const dir = values.child;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await loadConfig(dir, {
    cwd: dir,
    env: {},
    region: 'us-east-1',
    parser: values.parser as ParserChoice,
  });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const digest = createHash('sha256')
    .update(JSON.stringify(result.diagnostics.map(formatDiagnostic)))
    .update(JSON.stringify(result.clusters.map((c) => [c.file.path, c.cluster, c.config])))
    .digest('hex');
  const sample: Sample = {
    cpuMs: (used.user + used.system) / 1000,
    wallMs,
    digest,
    diagnostics: result.diagnostics.length,
    clusters: result.clusters.length,
  };
  process.stdout.write(JSON.stringify(sample));
} else {
  await main();
}

async function main(): Promise<void> {
  const runs = Math.max(1, Number(values.runs));
  const scratch = values.dir === undefined ? await mkdtemp(join(tmpdir(), 'bench-load-')) : undefined;
  try {
    const dir = values.dir === undefined ? join(scratch as string, 'clusters') : resolve(values.dir);
    if (values.dir === undefined) await writeBenchFleetYaml(dir);
    const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f));
    let bytes = 0;
    for (const f of files) bytes += (await stat(join(dir, f))).size;
    console.log(
      `config stage (loadConfig) on ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB: median of ${runs} fresh processes each`,
    );
    const samples: Record<ParserChoice, Sample[]> = { yaml: [], quick: [] };
    for (let round = 0; round < runs; round++) {
      // Alternate which goes first, too.
      const order: ParserChoice[] = round % 2 === 0 ? ['yaml', 'quick'] : ['quick', 'yaml'];
      for (const parser of order) samples[parser].push(await child(dir, parser));
    }
    const digests = new Set([...samples.yaml, ...samples.quick].map((s) => s.digest));
    const yaml = summary(samples.yaml);
    const quick = summary(samples.quick);
    const first = samples.quick[0] as Sample;
    console.log(`  yaml parser (before):  CPU ${yaml.cpu} ms, wall ${yaml.wall} ms`);
    console.log(`  quick parser (after):  CPU ${quick.cpu} ms, wall ${quick.wall} ms`);
    console.log(
      `  after / before: CPU ${(quick.cpuMedian / yaml.cpuMedian).toFixed(2)}, wall ${(quick.wallMedian / yaml.wallMedian).toFixed(2)}` +
        `  (${first.clusters} clusters valid, ${first.diagnostics} diagnostics, identical for both: ${digests.size === 1 ? 'yes' : 'NO'})`,
    );
    if (digests.size !== 1) {
      console.error('the two parsers gave different diagnostics or data');
      process.exitCode = 1;
    }
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}

function child(dir: string, parser: ParserChoice): Promise<Sample> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, [import.meta.filename, '--child', dir, '--parser', parser], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.on('error', fail);
    proc.on('close', (code) => {
      if (code !== 0) fail(new Error(`child (${parser}) exited ${code}`));
      else done(JSON.parse(out) as Sample);
    });
  });
}

function summary(samples: readonly Sample[]) {
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] as number;
  };
  const cpu = samples.map((s) => s.cpuMs);
  const wall = samples.map((s) => s.wallMs);
  const range = (xs: number[]) =>
    `${median(xs).toFixed(0)} (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  return { cpu: range(cpu), wall: range(wall), cpuMedian: median(cpu), wallMedian: median(wall) };
}

/**
 * The YAML `npm run bench` writes for its default fleet (bench/lib/fleet.ts), without seeding
 * moto: the config needs only the names and the target group ARNs.
 */
async function writeBenchFleetYaml(dir: string): Promise<void> {
  const { DEFAULT_SIZE, groupName, writeFleetConfig } = await import('./lib/fleet.ts');
  type Fleet = Parameters<typeof writeFleetConfig>[1];
  const size = DEFAULT_SIZE;
  const fleet = {
    size,
    groupNames: Array.from({ length: size.groups }, (_, i) => groupName(i)),
    targetGroupArns: Array.from(
      { length: size.targetGroups },
      (_, i) =>
        `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fleet-tg-${String(i).padStart(2, '0')}/${String(i).padStart(16, '0')}`,
    ),
  } as Partial<Fleet> as Fleet;
  await writeFleetConfig(dir, fleet);
}
