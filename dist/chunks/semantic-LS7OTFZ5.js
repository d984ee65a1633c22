import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  checkAcrossFiles,
  checkFile,
  cronProblem,
  locateInScalar,
  parseAdjust,
  parseDuration
} from "./chunk-FNCZ57DY.js";
import "./chunk-6WGDWBGG.js";
import "./chunk-FA6EQWUK.js";
export {
  checkAcrossFiles,
  checkFile,
  cronProblem,
  locateInScalar,
  parseAdjust,
  parseDuration
};
