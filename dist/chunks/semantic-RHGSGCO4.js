import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  checkAcrossFiles,
  checkFile,
  cronProblem,
  locateInScalar,
  parseAdjust,
  parseDuration
} from "./chunk-SGLEYBN7.js";
import "./chunk-NVVHDNAG.js";
import "./chunk-FA6EQWUK.js";
export {
  checkAcrossFiles,
  checkFile,
  cronProblem,
  locateInScalar,
  parseAdjust,
  parseDuration
};
