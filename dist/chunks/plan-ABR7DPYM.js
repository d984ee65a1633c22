import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  hasChanges,
  plan,
  summarize
} from "./chunk-BNYUVJHI.js";
import "./chunk-2CT24WMD.js";
import "./chunk-6WGDWBGG.js";
import "./chunk-FA6EQWUK.js";
export {
  hasChanges,
  plan,
  summarize
};
