import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  credentialsTreatedAsExpired,
  credentialsWillNeedRefresh,
  defaultProvider
} from "./chunk-2ZFFJAPK.js";
import "./chunk-26C2TAB2.js";
import "./chunk-OH2HIJBA.js";
import "./chunk-4G67S2IA.js";
import "./chunk-2TAAZKGB.js";
import "./chunk-NHRM3HTZ.js";
import "./chunk-QUBOY3ZF.js";
import "./chunk-SC6IPQVQ.js";
import "./chunk-FA6EQWUK.js";
export {
  credentialsTreatedAsExpired,
  credentialsWillNeedRefresh,
  defaultProvider
};
