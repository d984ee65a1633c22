import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  applyExitCode,
  applyPlanned,
  planExitCode,
  runApply,
  runPlan
} from "./chunk-67STT7GD.js";
import "./chunk-OO726H3O.js";
import "./chunk-BNYUVJHI.js";
import "./chunk-UUBFX5O2.js";
import "./chunk-2ZFFJAPK.js";
import "./chunk-26C2TAB2.js";
import "./chunk-TBXPU6QX.js";
import "./chunk-BD6Y23F3.js";
import "./chunk-2CT24WMD.js";
import "./chunk-5EKTWFOG.js";
import "./chunk-PSJCBZ7R.js";
import "./chunk-3TBXY3X3.js";
import "./chunk-FNCZ57DY.js";
import "./chunk-6WGDWBGG.js";
import "./chunk-RL4Z4GBF.js";
import "./chunk-OH2HIJBA.js";
import "./chunk-4G67S2IA.js";
import "./chunk-2TAAZKGB.js";
import "./chunk-NHRM3HTZ.js";
import "./chunk-QUBOY3ZF.js";
import "./chunk-SC6IPQVQ.js";
import "./chunk-FA6EQWUK.js";
export {
  applyExitCode,
  applyPlanned,
  planExitCode,
  runApply,
  runPlan
};
