import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// src/model/basics.ts
function scopeKey(scope) {
  return scope.roleArn === void 0 ? scope.region : `${scope.region} ${scope.roleArn}`;
}
function known(value) {
  return Object.freeze({ known: true, value });
}
function unknown(reason) {
  return Object.freeze({ known: false, reason });
}
var OWNED_PREFIX = "gitops-";
var OWNER_TAG = Object.freeze({ key: "managed-by", value: "autoscale-gitops" });
function deepFreeze(value, seen = /* @__PURE__ */ new WeakSet()) {
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Map) {
    for (const [k, v] of value) {
      deepFreeze(k, seen);
      deepFreeze(v, seen);
    }
    if (!Object.isFrozen(value)) {
      const refuse = () => {
        throw new TypeError("the Live snapshot is read-only");
      };
      Object.defineProperties(value, {
        set: { value: refuse },
        delete: { value: refuse },
        clear: { value: refuse }
      });
    }
  } else {
    for (const v of Object.values(value)) deepFreeze(v, seen);
  }
  return Object.freeze(value);
}

// src/model/ecs.ts
var LAST_SCALED_TAG = "autoscale-gitops:last-scaled";

// src/model/groups.ts
var ATTACHED_TAG_PREFIX = "autoscale-gitops:attached:";
var GROUP_TAG_LIMIT = 50;
var SIZE_FIELDS = ["min", "max", "desired"];

// src/plan/prune/common.ts
function pruneOfFile(desired, file) {
  return (desired.prune ?? []).find((p) => p.origin.file === file);
}
function protectedId(prune, ...ids) {
  return ids.find((id) => id !== void 0 && prune.protect.includes(id));
}
function where(scope) {
  return scope.region + (scope.roleArn === void 0 ? "" : ` as ${scope.roleArn}`);
}
function targetGroupName(arn) {
  return /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn;
}

// src/plan/format.ts
function formatValue(value) {
  if (value === void 0 || value === null) return "(none)";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== void 0);
    return `{${entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join(", ")}}`;
  }
  return String(value);
}
function describeDiff(before, after) {
  const keys = [.../* @__PURE__ */ new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys.map((k) => `${k} ${formatValue(before[k])} \u2192 ${formatValue(after[k])}`).join(", ");
}
function plural(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export {
  formatValue,
  describeDiff,
  plural,
  scopeKey,
  known,
  unknown,
  OWNED_PREFIX,
  OWNER_TAG,
  deepFreeze,
  LAST_SCALED_TAG,
  ATTACHED_TAG_PREFIX,
  GROUP_TAG_LIMIT,
  SIZE_FIELDS,
  pruneOfFile,
  protectedId,
  where,
  targetGroupName
};
