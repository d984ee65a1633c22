import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// src/config/diagnostics.ts
function formatDiagnostic(d) {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}
function hasErrors(diagnostics) {
  return diagnostics.some((d) => d.severity === "error");
}
function sortDiagnostics(diagnostics) {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message)
  );
}

// src/secrets.ts
var URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+)(?::([^\s/@]*))?@/gi;
var BASIC_AUTHORIZATION = /\b(Basic\s+)[A-Za-z0-9+/]{4,}={0,2}/g;
var MASK = "***";
var MIN_SECRET_LENGTH = 6;
function isShortSecret(value) {
  return [...value].length < MIN_SECRET_LENGTH;
}
function secretVariants(secret) {
  return [.../* @__PURE__ */ new Set([...textForms(secret), ...base64Forms(secret)])];
}
function textForms(secret) {
  if (secret.length === 0) return [];
  const bytes = Buffer.from(secret, "utf8");
  const variants = [
    secret,
    safely(() => encodeURIComponent(secret)),
    safely(() => encodeURI(secret)),
    percentEncode(bytes, PATH_SAFE),
    percentEncode(bytes, QUERY_SAFE),
    new URLSearchParams({ v: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"),
    secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
  ];
  return variants.filter((v) => v.length > 0);
}
function base64Forms(secret) {
  const bytes = Buffer.from(secret, "utf8");
  return [0, 1, 2].map((shift) => base64Decided(bytes.subarray(shift))).filter((v) => !isShortSecret(v));
}
function safely(encode) {
  try {
    return encode();
  } catch {
    return "";
  }
}
var PATH_SAFE = /[!$%&'()*+,\-./0-9:;=@A-Z[\\\]^_a-z|~]/;
var QUERY_SAFE = /[!$%&()*+,\-./0-9:;=?@A-Z[\\\]^_`a-z{|}~]/;
function percentEncode(bytes, safe) {
  let out = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += byte < 128 && safe.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
function base64Decided(bytes) {
  if (bytes.length === 0) return "";
  const full = Buffer.from(bytes).toString("base64").replace(/=+$/, "");
  return full.slice(0, Math.floor(bytes.length * 8 / 6));
}
var Masker = class {
  #pattern;
  constructor(secrets) {
    const anywhere = /* @__PURE__ */ new Set();
    const alone = /* @__PURE__ */ new Set();
    for (const secret of secrets) {
      if (secret.length === 0) continue;
      const short = isShortSecret(secret);
      for (const form of secretVariants(secret)) {
        if (short || isShortSecret(form)) alone.add(form);
        else anywhere.add(form);
      }
    }
    const alternatives = [
      ...[...anywhere].map((form) => ({ form, source: sourceOf(form) })),
      // Alone: no letter or digit right before or after it.
      ...[...alone].map((form) => ({
        form,
        source: `(?<![\\p{L}\\p{N}])${sourceOf(form)}(?![\\p{L}\\p{N}])`
      }))
    ].sort((a, b) => b.form.length - a.form.length);
    this.#pattern = alternatives.length === 0 ? null : new RegExp(alternatives.map((a) => a.source).join("|"), "gu");
  }
  hide = (text) => {
    const out = this.#pattern === null ? text : text.replace(this.#pattern, MASK);
    return out.replace(URL_CREDENTIALS, (_m, scheme) => `${scheme}${MASK}@`).replace(BASIC_AUTHORIZATION, (_m, basic) => `${basic}${MASK}`);
  };
};
function sourceOf(form) {
  return form.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&").replace(
    /%([0-9A-F])([0-9A-F])/g,
    (_m, a, b) => `%[${a}${a.toLowerCase()}][${b}${b.toLowerCase()}]`
  );
}
function redact(text, secrets) {
  return new Masker(secrets).hide(text);
}

export {
  formatDiagnostic,
  hasErrors,
  sortDiagnostics,
  MIN_SECRET_LENGTH,
  isShortSecret,
  secretVariants,
  Masker,
  redact
};
