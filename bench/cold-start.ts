/**
 * The bundles' cold start alone (bench/lib/coldstart.ts), without building a fleet: to compare
 * two builds of dist/ in seconds.
 *
 *   npm run build && node bench/cold-start.ts [--runs 15]
 */
import { parseArgs } from 'node:util';
import { measureColdStart } from './lib/coldstart.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const cold = await measureColdStart(Number(values.runs));
const ms = (s: { median: number; min: number; max: number }) =>
  `${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`;
console.log(`median of ${cold.runs} fresh processes`);
console.log(`  node dist/index.js, validate mode:  ${ms(cold.actionValidate)}`);
console.log(`  node dist/cli.js --version:         ${ms(cold.cliVersion)}`);
console.log(
  `  bundles: dist/index.js ${(cold.bundleBytes.action / 1e6).toFixed(2)} MB, dist/cli.js ${(cold.bundleBytes.cli / 1e6).toFixed(2)} MB`,
);
