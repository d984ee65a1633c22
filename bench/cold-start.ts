/**
 * The bundles' cold start alone (bench/lib/coldstart.ts), without building a fleet: to compare
 * two builds of dist/ in seconds. Prints each command beside `node -e 0` from the same run.
 *
 *   npm run build && npm run bench:cold [-- --runs 15] [--dist DIR]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { coldStartLines, measureColdStart } from './lib/coldstart.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    // Another build's dist/ (e.g. a checkout of the main branch, built), measured the same way.
    dist: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive whole number, not "${values.runs}"`);
const cold = await measureColdStart(runs, values.dist === undefined ? undefined : resolve(values.dist));
console.log(coldStartLines(cold).join('\n'));
