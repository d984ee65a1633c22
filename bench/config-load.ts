/**
 * Bench: the config stage (load + validate, `loadConfig`) on the bench fleet's YAML, with the
 * quick parser (src/config/quick-parse.ts) and with yaml's own parser (`parser: 'yaml'`), and
 * optionally with the code of another commit, in the same run, so the ratios are the figures
 * to quote.
 *
 *   npm run bench:load                                (7 rounds)
 *   npm run bench:load -- --before b3999da --runs 9   (also the config stage as of that commit)
 *   node bench/config-load.ts --dir DIR               (read that config instead of the fleet's)
 *
 * `--before REF` copies REF's src/ and schemas/ (git archive) to a scratch folder beside this
 * checkout's node_modules, and times its loadConfig the same way.
 *
 * Each measurement is a fresh process that imports the config module and then loads the files
 * once: what a plan does (bench/lib/measure.ts times the plan's stages the same way), so the
 * figures include the parsers' first, unoptimised runs. Rounds alternate the two parsers, so a
 * machine that gets busier during the run slows both alike. Both must give the same diagnostics
 * and the same validated data, or the bench fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
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
    before: { type: 'string' },
    child: { type: 'string' },
    parser: { type: 'string' },
    module: { type: 'string' },
  },
});

const ROOT = resolve(import.meta.dirname, '..');
/** A variant: which code, and which parser option it is given. */
interface Variant {
  readonly label: string;
  readonly module: string;
  readonly parser: ParserChoice;
}

if (values.child !== undefined) {
  // Child: one cold load, figures as JSON on stdout.
  const { loadConfig, formatDiagnostic } = (await import(
    values.module ?? '../src/config/index.ts'
  )) as typeof import('../src/config/index.ts');
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
  const scratch = await mkdtemp(join(tmpdir(), 'bench-load-'));
  try {
    const dir = values.dir === undefined ? join(scratch, 'clusters') : resolve(values.dir);
    if (values.dir === undefined) await writeBenchFleetYaml(dir);
    const here = join(ROOT, 'src/config/index.ts');
    const variants: Variant[] = [
      ...(values.before === undefined
        ? []
        : [
            {
              label: `as of ${values.before}`,
              module: await checkoutOf(values.before, join(scratch, 'before')),
              parser: 'quick' as const,
            },
          ]),
      { label: 'yaml parser', module: here, parser: 'yaml' },
      { label: 'quick parser', module: here, parser: 'quick' },
    ];
    const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f));
    let bytes = 0;
    for (const f of files) bytes += (await stat(join(dir, f))).size;
    console.log(
      `config stage (loadConfig) on ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB: median of ${runs} fresh processes each`,
    );
    const samples = variants.map(() => [] as Sample[]);
    for (let round = 0; round < runs; round++) {
      // Rotate which goes first, so that a machine getting busier slows each alike.
      for (let k = 0; k < variants.length; k++) {
        const i = (round + k) % variants.length;
        samples[i]?.push(await child(dir, variants[i] as Variant));
      }
    }
    const summaries = samples.map(summary);
    const base = summaries[0] as ReturnType<typeof summary>;
    variants.forEach((variant, i) => {
      const s = summaries[i] as ReturnType<typeof summary>;
      const ratio =
        i === 0
          ? ''
          : `  = ${(s.cpuMedian / base.cpuMedian).toFixed(2)} × CPU, ${(s.wallMedian / base.wallMedian).toFixed(2)} × wall of the first`;
      console.log(`  ${variant.label.padEnd(22)} CPU ${s.cpu} ms, wall ${s.wall} ms${ratio}`);
    });
    const digests = new Set(samples.flat().map((s) => s.digest));
    const first = samples.at(-1)?.[0] as Sample;
    console.log(
      `  ${first.clusters} clusters valid, ${first.diagnostics} diagnostics; the same diagnostics and data from every variant: ${digests.size === 1 ? 'yes' : 'NO'}`,
    );
    if (digests.size !== 1) {
      console.error('the variants gave different diagnostics or data');
      process.exitCode = 1;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** REF's src/ and schemas/ in `dir`, using this checkout's node_modules; its config module. */
async function checkoutOf(ref: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const archive = spawnSync(
    'git',
    ['-C', ROOT, 'archive', '--format=tar', ref, 'src', 'schemas', 'package.json'],
    {
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (archive.status !== 0) throw new Error(`git archive ${ref}: ${archive.stderr.toString()}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr.toString()}`);
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return join(dir, 'src/config/index.ts');
}

function child(dir: string, variant: Variant): Promise<Sample> {
  const args = [import.meta.filename, '--child', dir, '--parser', variant.parser, '--module', variant.module];
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.on('error', fail);
    proc.on('close', (code) => {
      if (code !== 0) fail(new Error(`child (${variant.label}) exited ${code}`));
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
