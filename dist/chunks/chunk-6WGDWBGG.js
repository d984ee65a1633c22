import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// src/registries/match.ts
var INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
var DEFAULT_INSTANCE_PATTERN = "^(i-[0-9a-f]{8,17})$";
function matchEntry(pattern, entryId) {
  const match = pattern.exec(entryId);
  if (match === null || match.index !== 0 || match[0] !== entryId)
    return { ours: false, why: "does not match the instance pattern" };
  const captured = match[1];
  if (captured === void 0 || captured === "") return { ours: false, why: "the pattern captured nothing" };
  if (!INSTANCE_ID.test(captured)) return { ours: false, why: `captured ${captured}, not an instance id` };
  return { ours: true, instanceId: captured };
}
function compilePattern(source) {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return /(?!)/;
  }
}
function presentInstances(pattern, entries) {
  const present = /* @__PURE__ */ new Set();
  for (const entry of entries) {
    const match = matchEntry(pattern, entry.id);
    if (match.ours) present.add(match.instanceId);
  }
  return present;
}
function missingMembers(forGroups, live, present) {
  const missing = [];
  let inService = 0;
  for (const group of forGroups) {
    const read = live.get(group);
    if (read === void 0 || !read.known || read.value === null) continue;
    for (const member of read.value.instances) {
      if (member.lifecycleState !== "InService") continue;
      inService++;
      if (!present.has(member.id)) missing.push({ member, group });
    }
  }
  return { missing, inService };
}

// src/registries/template.ts
function shellQuote(text) {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

// src/registries/placeholders.ts
var PLACEHOLDER_NAMES = [
  "id",
  "instance",
  "entry",
  "private_ip",
  "public_ip",
  "az",
  "group"
];
var PLACEHOLDER_MEANING = {
  id: "the listed entry id",
  instance: "the instance id",
  entry: "the entry id the instance should have (the registry's entry)",
  private_ip: "the instance's private IP",
  public_ip: "the instance's public IP",
  az: "the instance's availability zone",
  group: "the instance's Auto Scaling group"
};
var PATTERN = /(?<![$])\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
function placeholdersIn(text) {
  return [...text.matchAll(PATTERN)].map((m) => ({ name: m[1], index: m.index }));
}
function isPlaceholderName(name) {
  return PLACEHOLDER_NAMES.includes(name);
}
var PlaceholderError = class extends Error {
  name = "PlaceholderError";
};
function replacePlaceholders(template, replace) {
  return template.replace(PATTERN, (whole, name) => replace(name) ?? whole);
}
var SAMPLE_VALUES = {
  instance: "i-0123456789abcdef0",
  group: "web-asg",
  az: "us-east-1a",
  private_ip: "10.0.0.1",
  public_ip: "10.0.0.1"
};
function fill(template, values, encode) {
  return replacePlaceholders(template, (name) => {
    if (!isPlaceholderName(name)) return void 0;
    const value = values[name];
    if (value === void 0)
      throw new PlaceholderError(`{${name}} (${PLACEHOLDER_MEANING[name]}) is not known`);
    return encode(value);
  });
}
function fillText(template, values) {
  return fill(template, values, (v) => v);
}
function fillUrl(template, values) {
  return fill(template, values, encodeURIComponent);
}
function fillHeader(template, values) {
  return fill(template, values, (v) => {
    if (/[\r\n\0]/.test(v))
      throw new PlaceholderError("a value contains a line break or NUL: not sent in a header");
    return v;
  });
}
function fillCommand(template, values) {
  return fill(template, values, (v) => {
    if (v.includes("\0")) throw new PlaceholderError("a value contains NUL: not run");
    return shellQuote(v);
  });
}
function fillPayload(payload, values) {
  if (typeof payload === "string") return fillText(payload, values);
  if (Array.isArray(payload)) return payload.map((item) => fillPayload(item, values));
  if (payload !== null && typeof payload === "object") {
    const out = {};
    for (const [key, value] of Object.entries(payload)) out[key] = fillPayload(value, values);
    return out;
  }
  return payload;
}
function placeholdersOfRequest(spec) {
  const texts = spec.kind === "command" ? [spec.command] : [spec.url, ...Object.values(spec.headers), ...payloadStrings(spec.payload ?? null)];
  return namesIn(texts);
}
function namesIn(texts) {
  const out = /* @__PURE__ */ new Set();
  for (const text of texts)
    for (const { name } of placeholdersIn(text)) if (isPlaceholderName(name)) out.add(name);
  return out;
}
function missingOf(names, values) {
  return [...names].filter((name) => values[name] === void 0);
}
function payloadStrings(payload) {
  if (typeof payload === "string") return [payload];
  if (Array.isArray(payload)) return payload.flatMap((item) => payloadStrings(item));
  if (payload !== null && typeof payload === "object") return Object.values(payload).flatMap(payloadStrings);
  return [];
}

export {
  DEFAULT_INSTANCE_PATTERN,
  matchEntry,
  compilePattern,
  presentInstances,
  missingMembers,
  PLACEHOLDER_MEANING,
  placeholdersIn,
  isPlaceholderName,
  PlaceholderError,
  replacePlaceholders,
  SAMPLE_VALUES,
  fillText,
  fillUrl,
  fillHeader,
  fillCommand,
  fillPayload,
  placeholdersOfRequest,
  missingOf
};
