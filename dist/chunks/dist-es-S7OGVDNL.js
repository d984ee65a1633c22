import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  ENV_ACCOUNT_ID,
  ENV_CREDENTIAL_SCOPE,
  ENV_EXPIRATION,
  ENV_KEY,
  ENV_SECRET,
  ENV_SESSION,
  fromEnv
} from "./chunk-26C2TAB2.js";
import "./chunk-OH2HIJBA.js";
import "./chunk-4G67S2IA.js";
import "./chunk-2TAAZKGB.js";
import "./chunk-NHRM3HTZ.js";
import "./chunk-QUBOY3ZF.js";
import "./chunk-SC6IPQVQ.js";
import "./chunk-FA6EQWUK.js";
export {
  ENV_ACCOUNT_ID,
  ENV_CREDENTIAL_SCOPE,
  ENV_EXPIRATION,
  ENV_KEY,
  ENV_SECRET,
  ENV_SESSION,
  fromEnv
};
