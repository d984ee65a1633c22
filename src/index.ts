// The Action's entry point (action.yml runs dist/index.js). Everything lives in action.ts so
// tests can import `run` without executing it; it is imported after the compile cache is on, so
// that its modules are cached too (compile-cache.ts).
import { enableCompileCache } from './compile-cache.ts';

enableCompileCache();
const { run } = await import('./action.ts');
await run();
