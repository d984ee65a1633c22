/**
 * The bundles' cold start alone (bench/lib/coldstart.ts), without building a fleet: to compare
 * two builds of dist/ in seconds. Prints each command beside `node -e 0` from the same run.
 *
 *   npm run build && npm run bench:cold [-- --runs 15]
 */
import { parseArgs } from 'node:util';
import { coldStartLines, measureColdStart } from './lib/coldstart.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive whole number, not "${values.runs}"`);
const cold = await measureColdStart(runs);
console.log(coldStartLines(cold).join('\n'));
