import pkg from '../package.json' with { type: 'json' };

/** Bundled in at build time, so `--version` needs no file system. */
export const VERSION: string = pkg.version;
