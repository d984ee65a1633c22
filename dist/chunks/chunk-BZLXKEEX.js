import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  formatDiagnostic,
  hasErrors,
  redact
} from "./chunk-3TBXY3X3.js";

// src/cli/io.ts
var EXIT_OK = 0;
var EXIT_ERROR = 1;
function reportDiagnostics(diagnostics, secrets, io) {
  for (const d of diagnostics) io.stderr(`${redact(formatDiagnostic(d), secrets)}
`);
  return hasErrors(diagnostics);
}

export {
  EXIT_OK,
  EXIT_ERROR,
  reportDiagnostics
};
