// The Action's entry point (action.yml runs dist/index.js). Everything lives in action.ts so
// tests can import `run` without executing it.
import { run } from './action.ts';

await run();
