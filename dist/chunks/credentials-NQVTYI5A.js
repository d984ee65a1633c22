import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  fromNodeProviderChain
} from "./chunk-OO726H3O.js";
import "./chunk-4G67S2IA.js";
import "./chunk-2TAAZKGB.js";
import "./chunk-NHRM3HTZ.js";
import "./chunk-QUBOY3ZF.js";
import "./chunk-SC6IPQVQ.js";
import "./chunk-FA6EQWUK.js";

// src/github/credentials.ts
async function checkAwsCredentials(provider = fromNodeProviderChain()) {
  try {
    await provider();
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, reason: message || "no credentials" };
  }
}
export {
  checkAwsCredentials
};
