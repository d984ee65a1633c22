/**
 * Node's compile cache: V8's compiled code for the bundle's modules, kept on disk and reused by
 * the next process that loads the same files (checked by their content), so a repeated run
 * compiles less. Node's default place (`NODE_COMPILE_CACHE`, else node-compile-cache under the
 * system's temporary folder) and Node's opt-out (`NODE_DISABLE_COMPILE_CACHE=1`) apply. A cache
 * that cannot be used or written only costs speed: nothing here can fail a run.
 *
 * Only modules loaded after this call are cached: the entry points call it first and import the
 * rest dynamically.
 */
import module from 'node:module';

export function enableCompileCache(): void {
  try {
    module.enableCompileCache?.();
  } catch {
    // An unwritable temporary folder or an older Node: run without the cache.
  }
}
