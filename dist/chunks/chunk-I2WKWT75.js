import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  formatValue,
  targetGroupName
} from "./chunk-2CT24WMD.js";

// src/render/summary.ts
function summaryLine(plan) {
  const s = plan.summary;
  if (plan.changes.length === 0 && s.blocked === 0) {
    return plan.errors.length === 0 ? "No changes." : `No changes planned; ${count(plan.errors.length, "error")}.`;
  }
  const parts = [`${s.create} to create`, `${s.update} to update`, `${s.delete} to delete`];
  if (s.register > 0) parts.push(`${s.register} to register`);
  if (s.deregister > 0) parts.push(`${s.deregister} to deregister`);
  let line = `Plan: ${parts.join(", ")}.`;
  if (s.blocked > 0) line += ` ${s.blocked} blocked.`;
  if (plan.errors.length > 0) line += ` ${count(plan.errors.length, "error")}.`;
  return line;
}
function applyLine(report) {
  const parts = [`${report.applied} applied`, `${report.failed} failed`, `${report.skipped} skipped`];
  const blocked = report.plan.blocked.length;
  return `Apply: ${parts.join(", ")}${blocked > 0 ? `, ${blocked} blocked` : ""}.`;
}
function count(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
function place(item) {
  if (item.file === void 0) return void 0;
  return item.line === void 0 ? item.file : `${item.file}:${item.line}`;
}

// src/render/decisions.ts
var OUTCOME_TEXT = {
  scale: "scale",
  unchanged: "unchanged",
  cooldown: "cooldown",
  no_data: "no data",
  unknown: "not read",
  missing: "missing",
  disabled: "disabled"
};
function countText(d) {
  if (d.before === null && d.after === null) return "-";
  if (d.before === null) return `\u2192 ${d.after}`;
  if (d.after === null || d.after === d.before) return String(d.before);
  return `${d.before} \u2192 ${d.after}`;
}
function metricsText(d) {
  return Object.entries(d.metrics).map(([alias, value]) => `${alias} = ${value === null ? "?" : formatNumber(value)}`).join(", ");
}
function outcomeText(outcome) {
  return OUTCOME_TEXT[outcome];
}
function decisionLines(plan) {
  const decisions = plan.decisions ?? [];
  if (decisions.length === 0) return [];
  const out = ["", "ECS decisions:"];
  for (const d of decisions) {
    const where = place(d);
    out.push(
      `  ${d.address}: ${countText(d)} [${outcomeText(d.outcome)}]${where === void 0 ? "" : `  (${where})`}`
    );
    const metrics = metricsText(d);
    if (metrics !== "") out.push(`      metrics: ${metrics}`);
    out.push(`      # ${d.reason}`);
  }
  return out;
}
function decisionsDocument(plan) {
  const decisions = plan.decisions ?? [];
  if (decisions.length === 0) return {};
  return {
    decisions: decisions.map((d) => ({
      kind: d.kind,
      address: d.address,
      id: d.id,
      cluster: d.cluster,
      file: d.file ?? null,
      line: d.line ?? null,
      outcome: d.outcome,
      metrics: d.metrics,
      events: d.events.map((e) => ({
        index: e.index,
        metric: e.metric,
        value: e.value,
        min: e.min,
        max: e.max,
        action: e.action,
        result: e.result
      })),
      before: d.before,
      after: d.after,
      reason: d.reason
    }))
  };
}
function formatNumber(n) {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

// src/render/lines.ts
var ACTION_SIGN = {
  create: "+",
  update: "~",
  delete: "-",
  register: "+",
  deregister: "-"
};
function fieldLines(change) {
  const { before, after } = change;
  if (before === null && after === null) return [];
  if (before === null)
    return Object.entries(after ?? {}).map(([k, v]) => ({ sign: "+", key: k, text: formatValue(v) }));
  if (after === null)
    return Object.entries(before).map(([k, v]) => ({ sign: "-", key: k, text: formatValue(v) }));
  const keys = [.../* @__PURE__ */ new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys.filter((k) => formatValue(before[k]) !== formatValue(after[k])).map((k) => ({ sign: "~", key: k, text: `${formatValue(before[k])} \u2192 ${formatValue(after[k])}` }));
}
function displayId(change) {
  const op = change.operation;
  if (op.kind === "drain_container_instance") return op.instanceId;
  if (op.kind === "attach_to_group" || op.kind === "detach_from_group") {
    const name = op.target.startsWith("arn:") ? targetGroupName(op.target) : op.target;
    return `${op.group} (${op.attachment === "target_group" ? "target group" : "load balancer"} ${name})`;
  }
  if (change.type === "ecs_container_instance" && change.id.startsWith("arn:"))
    return change.id.slice(change.id.lastIndexOf("/") + 1);
  return change.id;
}
function changeVerb(change, decision) {
  const op = change.operation;
  switch (op.kind) {
    case "update_service": {
      const from = Number(change.before?.desired);
      const to = Number(change.after?.desired);
      const fired = decision?.events.some((e) => e.result === "fired") ?? true;
      if (!fired) return "bound correction";
      return to > from ? "scale out" : to < from ? "scale in" : "update";
    }
    case "drain_container_instance":
      return "drain";
    case "terminate_instance":
      return "terminate";
    case "delete_registry_entry":
      return "prune";
    case "register_registry_entry":
      return "add";
    case "attach_to_group":
      return "attach";
    case "detach_from_group":
      return op.attached ? "detach" : "untag";
    default:
      return change.action;
  }
}
function decisionFor(plan, change) {
  return plan.decisions?.find((d) => d.address === change.address);
}
function headline(change, decision) {
  return `${ACTION_SIGN[change.action]} ${changeVerb(change, decision)} ${change.type} ${displayId(change)}`;
}
function resultText(result) {
  switch (result.status) {
    case "applied":
      return result.note === void 0 ? "applied" : `applied (${result.note})`;
    case "failed":
      return `FAILED: ${result.error}`;
    case "skipped":
      return `skipped: ${result.why}`;
  }
}

// src/render/text.ts
function renderText(plan, report) {
  const out = [
    report === void 0 ? summaryLine(plan) : `${summaryLine(plan)}
${applyLine(report)}`
  ];
  for (const change of plan.changes) {
    const where = place(change);
    out.push("");
    out.push(`  ${headline(change, decisionFor(plan, change))}${where === void 0 ? "" : `  (${where})`}`);
    out.push(`      # ${change.address}: ${change.reason}`);
    for (const line of fieldLines(change)) out.push(`      ${line.sign} ${line.key}: ${line.text}`);
    const result = report?.results.get(change.address);
    if (result !== void 0) out.push(`      => ${resultText(result)}`);
  }
  out.push(...decisionLines(plan));
  section(
    out,
    "Blocked",
    plan.blocked.map(
      (b) => `${b.address}: ${b.reason}${b.change === void 0 ? "" : ` (${b.change.reason})`}`
    )
  );
  section(out, "Warnings", plan.warnings.map(messageText));
  section(out, "Errors", plan.errors.map(messageText));
  return `${out.join("\n")}
`;
}
function messageText(m) {
  const where = place(m);
  return where === void 0 ? m.message : `${where}: ${m.message}`;
}
function section(out, title, lines) {
  if (lines.length === 0) return;
  out.push("", `${title}:`);
  for (const line of lines) out.push(`  ${line}`);
}

// src/github/api.ts
var ACTIONS_BOT = "github-actions[bot]";
var GITHUB_TIMEOUT_MS = 3e4;
var PER_PAGE = 100;
function statusOf(error) {
  const status = error?.status;
  return typeof status === "number" ? status : void 0;
}
function githubErrorText(error) {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return status === void 0 ? message ?? "unknown error" : `HTTP ${status}: ${message}`;
}
function toComment(raw) {
  return { id: raw.id, body: raw.body ?? "", author: raw.user?.login ?? "", url: raw.html_url };
}
function toIssue(raw) {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? "",
    author: raw.user?.login ?? "",
    url: raw.html_url,
    state: raw.state === "closed" ? "closed" : "open"
  };
}
async function connect(token, options) {
  const { getOctokit } = await import("./github-BPUVBDIX.js");
  const octokit = getOctokit(token, options.baseUrl === void 0 ? {} : { baseUrl: options.baseUrl });
  const timeoutMs = options.timeoutMs ?? GITHUB_TIMEOUT_MS;
  octokit.hook.wrap("request", async (request, requestOptions) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal === void 0 ? timeout : AbortSignal.any([timeout, options.signal]);
    const send = requestOptions.request?.fetch ?? fetch;
    const bounded = (input, init) => send(input, { ...init, signal: init?.signal ? AbortSignal.any([signal, init.signal]) : signal });
    requestOptions.request = { ...requestOptions.request, fetch: bounded };
    try {
      return await request(requestOptions);
    } catch (error) {
      const what = `GitHub ${requestOptions.method} ${String(requestOptions.url).split("?")[0]}`;
      if (timeout.aborted)
        throw new Error(`${what}: no answer within ${timeoutMs / 1e3} s`, { cause: error });
      if (options.signal?.aborted) throw new Error(`${what}: aborted`, { cause: error });
      throw error;
    }
  });
  return octokit;
}
function createGitHubApi(token, repo, options = {}) {
  let connected;
  const client = () => {
    connected ??= connect(token, options);
    return connected;
  };
  const { owner, repo: name } = repo;
  return {
    async authenticatedLogin() {
      const octokit = await client();
      try {
        const { data } = await octokit.rest.users.getAuthenticated();
        return data.login;
      } catch (error) {
        const status = statusOf(error);
        if (status === 401 || status === 403 || status === 404) return void 0;
        throw error;
      }
    },
    async defaultBranch() {
      const octokit = await client();
      const { data } = await octokit.rest.repos.get({ owner, repo: name });
      return data.default_branch;
    },
    async *issueComments(issue) {
      const octokit = await client();
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
        owner,
        repo: name,
        issue_number: issue,
        per_page: PER_PAGE
      });
      for await (const page of pages) yield page.data.map(toComment);
    },
    async createIssueComment(issue, body) {
      const octokit = await client();
      const { data } = await octokit.rest.issues.createComment({
        owner,
        repo: name,
        issue_number: issue,
        body
      });
      return toComment(data);
    },
    async updateIssueComment(id, body) {
      const octokit = await client();
      const { data } = await octokit.rest.issues.updateComment({ owner, repo: name, comment_id: id, body });
      return toComment(data);
    },
    async *openIssues(label) {
      const octokit = await client();
      const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
        owner,
        repo: name,
        state: "open",
        labels: label,
        per_page: PER_PAGE
      });
      for await (const page of pages) {
        yield page.data.filter((i) => i.pull_request === void 0).map(toIssue);
      }
    },
    async createIssue(title, body, labels) {
      const octokit = await client();
      const { data } = await octokit.rest.issues.create({
        owner,
        repo: name,
        title,
        body,
        labels: [...labels]
      });
      return toIssue(data);
    },
    async pullRequestsOfCommit(sha) {
      const octokit = await client();
      const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        owner,
        repo: name,
        commit_sha: sha,
        per_page: PER_PAGE
      });
      return data.map((p) => ({
        number: p.number,
        mergedAt: p.merged_at ?? null,
        base: p.base?.ref ?? ""
      }));
    },
    async updateIssue(issue, changes) {
      const octokit = await client();
      const { data } = await octokit.rest.issues.update({
        owner,
        repo: name,
        issue_number: issue,
        ...changes.title === void 0 ? {} : { title: changes.title },
        ...changes.body === void 0 ? {} : { body: changes.body },
        ...changes.state === void 0 ? {} : { state: changes.state },
        ...changes.state === "closed" ? { state_reason: "completed" } : {}
      });
      return toIssue(data);
    }
  };
}

// src/github/markdown.ts
function escapeMarkdownCell(text) {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function escapeInline(text) {
  return escapeHtml(text).replace(/([\\`*[\]~#])/g, "\\$1").replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\_").replace(/\r?\n/g, " ");
}
function cell(text) {
  return escapeInline(text).replace(/\|/g, "\\|");
}
function code(text) {
  const oneLine = text.replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(longest + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${marks}${pad}${oneLine.replace(/\|/g, "\\|")}${pad}${marks}`;
}
function fence(body, language = "") {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(longest + 1);
  return `${marks}${language}
${body}
${marks}`;
}
function sizeOf(text) {
  return Buffer.byteLength(text, "utf8");
}
function truncate(text, max) {
  const points = [...text];
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join("")}\u2026`;
}
function plural(n, noun, nouns = `${noun}s`) {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : nouns}`;
}

// src/github/fit.ts
var COMMENT_LIMIT = 65536;
var SUMMARY_LIMIT = 1048576;
var SAFETY_MARGIN = 512;
var SEPARATOR = "\n\n";
function join(parts) {
  return `${parts.filter((p) => p.length > 0).join(SEPARATOR)}
`;
}
function fitDocument(doc, options) {
  const limit = options.limit - SAFETY_MARGIN;
  const foot = doc.foot ?? "";
  const all = join([doc.head, ...doc.sections.map((s) => s.markdown), foot]);
  if (sizeOf(all) <= limit) {
    return { markdown: all, shown: doc.sections.length, omitted: { sections: 0, items: 0 } };
  }
  const totalItems = doc.sections.reduce((n, s) => n + (s.items ?? 0), 0);
  const reserve = sizeOf(options.note({ sections: doc.sections.length, items: totalItems })) + 2 * 2;
  let used = sizeOf(join([doc.head, foot])) + reserve;
  let shown = 0;
  for (const section2 of doc.sections) {
    const cost = sizeOf(section2.markdown) + SEPARATOR.length;
    if (used + cost > limit) break;
    used += cost;
    shown++;
  }
  const kept = doc.sections.slice(0, shown);
  const left = doc.sections.slice(shown);
  const omitted = { sections: left.length, items: left.reduce((n, s) => n + (s.items ?? 0), 0) };
  const markdown = join([doc.head, ...kept.map((s) => s.markdown), options.note(omitted), foot]);
  if (sizeOf(markdown) <= limit) return { markdown, shown, omitted };
  const bare = join([options.note({ sections: doc.sections.length, items: totalItems })]);
  return { markdown: bare, shown: 0, omitted: { sections: doc.sections.length, items: totalItems } };
}
function omittedText(omitted, item = "change") {
  const what = plural(omitted.sections, "more section");
  return omitted.items > 0 ? `${what} (${plural(omitted.items, item)}) not shown here` : `${what} not shown here`;
}
function chunk(rows, size, budget, wrap) {
  const groups = [];
  let current = [];
  let used = 0;
  for (const row of rows) {
    const cost = size(row);
    if (current.length > 0 && used + cost > budget) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(row);
    used += cost;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((g, i) => wrap(g, groups.length === 1 ? "" : `part ${i + 1} of ${groups.length}`));
}

// src/github/decisions.ts
function decisionsOf(change) {
  return (change.decisions ?? []).filter((d) => typeof d.metric === "string");
}
var MAX_POINTS = 12;
function ruleText(rule) {
  const { min, max } = rule;
  const range = min !== null && max !== null ? `${min} \u2264 x \u2264 ${max}` : min !== null ? `x \u2265 ${min}` : max !== null ? `x \u2264 ${max}` : "any x";
  const action = rule.action > 0 ? `+${rule.action}` : String(rule.action);
  return `${range} \u2192 ${action} task${Math.abs(rule.action) === 1 ? "" : "s"}`;
}
function decisionsMarkdown(change) {
  const decisions = decisionsOf(change);
  if (decisions.length === 0) return "";
  const rows = decisions.map((d) => {
    const value = d.value === null ? "unknown" : formatNumber2(d.value);
    const rule = d.rule === void 0 ? "no rule matched" : ruleText(d.rule);
    return `| ${code(truncate(d.metric, 200))} | ${value} | ${cell(rule)} |`;
  });
  const byMetric = /* @__PURE__ */ new Map();
  for (const d of decisions) byMetric.set(d.metric, [...byMetric.get(d.metric) ?? [], d]);
  const charts = [...byMetric.values()].map(chart).filter((c) => c !== "");
  return [
    `**${escapeInline(displayName(change))}**: why`,
    "",
    "| Metric | Value | Rule |",
    "|---|---|---|",
    ...rows,
    ...charts.flatMap((c) => ["", c])
  ].join("\n");
}
function displayName(change) {
  return change.type === "ecs_container_instance" && change.id.startsWith("arn:") ? change.id.slice(change.id.lastIndexOf("/") + 1) : change.id;
}
var CHART_COLOURS = [
  { hex: "#2f81f7", square: "\u{1F7E6}" },
  { hex: "#e5534b", square: "\u{1F7E5}" },
  { hex: "#2da44e", square: "\u{1F7E9}" },
  { hex: "#a371f7", square: "\u{1F7EA}" },
  { hex: "#db6d28", square: "\u{1F7E7}" },
  { hex: "#bf8700", square: "\u{1F7E8}" }
];
function chart(decisions) {
  const first = decisions.find((d) => (d.series ?? []).length >= 2);
  if (first === void 0) return "";
  const points = (first.series ?? []).filter((p) => Number.isFinite(p.value)).slice(-MAX_POINTS);
  if (points.length < 2) return "";
  const lines = [
    { values: points.map((p) => formatNumber2(p.value)).join(", "), label: first.metric }
  ];
  const seen = /* @__PURE__ */ new Set();
  for (const d of decisions) {
    if (d.rule === void 0) continue;
    const action = `${d.rule.action > 0 ? "+" : ""}${d.rule.action}`;
    for (const [bound, word] of [
      [d.rule.min, "\u2265"],
      [d.rule.max, "\u2264"]
    ]) {
      if (typeof bound !== "number" || !Number.isFinite(bound)) continue;
      const label = `${word} ${formatNumber2(bound)} \u2192 ${action}`;
      if (seen.has(label) || lines.length >= CHART_COLOURS.length) continue;
      seen.add(label);
      lines.push({ values: points.map(() => formatNumber2(bound)).join(", "), label });
    }
  }
  const palette = lines.map((_, i) => CHART_COLOURS[i]?.hex).join(", ");
  const title = truncate(first.metric, 60).replace(/["`\\]/g, "'");
  const body = [
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    "xychart-beta",
    `    title "${title}"`,
    `    x-axis [${points.map((p) => JSON.stringify(timeLabel(p.at))).join(", ")}]`,
    `    y-axis "${title}"`,
    ...lines.map((l) => `    line [${l.values}]`)
  ].join("\n");
  const legend = lines.map(
    (l, i) => `${CHART_COLOURS[i]?.square ?? ""} ${i === 0 ? code(truncate(l.label, 60)) : escapeInline(l.label)}`
  ).join(" \xB7 ");
  return `${fence(body, "mermaid")}

Lines: ${legend} (times in UTC)`;
}
var OUTCOME_TEXT2 = {
  scale: "\u2B06\uFE0F\u2B07\uFE0F scale",
  unchanged: "unchanged",
  cooldown: "\u23F3 cooldown",
  no_data: "\u26A0\uFE0F no data",
  unknown: "\u26A0\uFE0F unknown",
  missing: "\u274C missing",
  disabled: "disabled"
};
function decisionCharts(decision) {
  const charts = Object.entries(decision.series ?? {}).map(
    ([metric, series]) => chart(
      decision.events.filter((e) => e.metric === metric).map((e) => ({ metric, value: e.value, rule: { min: e.min, max: e.max, action: e.action }, series }))
    )
  );
  const drawn = charts.filter((c) => c !== "");
  if (drawn.length === 0) return "";
  return [`**${escapeInline(decision.id)}**: ${escapeInline(outcomeText2(decision))}`, ...drawn].join("\n\n");
}
function outcomeText2(decision) {
  if (decision.outcome === "scale" && decision.before !== null && decision.after !== null) {
    if (decision.after === decision.before) return decision.kind === "ecs_capacity" ? "\u{1F53B} drain" : "scale";
    if (decision.kind === "ecs_service" && !decision.events.some((e) => e.result === "fired"))
      return "\u2195\uFE0F bound correction";
    return decision.after > decision.before ? "\u2B06\uFE0F scale out" : "\u2B07\uFE0F scale in";
  }
  return OUTCOME_TEXT2[decision.outcome];
}
function countText2(decision) {
  const show = (n) => n === null ? "?" : String(n);
  return decision.before === decision.after ? show(decision.before) : `${show(decision.before)} \u2192 ${show(decision.after)}`;
}
function metricsText2(decision) {
  const entries = Object.entries(decision.metrics);
  const inputs = entries.map(([name, value]) => `${name} = ${value === null ? "unknown" : formatNumber2(value)}`).join(", ");
  const computed = /* @__PURE__ */ new Map();
  for (const e of decision.events) {
    const metric = e.metric.trim();
    if (!(metric in decision.metrics)) computed.set(metric, e.value);
  }
  if (computed.size === 0) return inputs;
  const values = [...computed].map(([metric, value]) => `${metric} = ${formatNumber2(value)}`).join(", ");
  return inputs === "" ? values : `${inputs} \u2192 ${values}`;
}
function firedText(decision) {
  const decisive = decision.events.find((e) => e.result !== "no_match");
  if (decisive === void 0) return decision.events.length === 0 ? "" : "no event matched";
  return eventText(decisive);
}
function eventText(event) {
  const at = event.line === void 0 ? "" : ` (line ${event.line})`;
  const bound = event.result === "at_bound" ? ", already at the bound" : "";
  return `${event.metric} = ${formatNumber2(event.value)}: ${ruleText(event)}${bound}${at}`;
}
function decisionRow(decision) {
  const cells = [
    code(truncate(decision.id, 200)),
    decision.kind === "ecs_capacity" ? "capacity" : "service",
    cell(outcomeText2(decision)),
    cell(countText2(decision)),
    cell(truncate(metricsText2(decision), 400)),
    cell(truncate(firedText(decision), 400)),
    cell(truncate(decision.reason, 400))
  ];
  return `| ${cells.join(" | ")} |`;
}
var DECISION_HEADER = "| Name | Kind | Decision | Count | Metrics | Rule | Why |\n|---|---|---|---|---|---|---|";
function timeLabel(at) {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at.slice(0, 16) : date.toISOString().slice(11, 16);
}
function formatNumber2(n) {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

// src/github/report.ts
var RUN_LINK_TEXT = "workflow run";
function runLink(runUrl) {
  return `[${RUN_LINK_TEXT}](${runUrl})`;
}
function withoutRunLinks(body) {
  return body.replace(/\]\(https?:\/\/[^)\s]*\/actions\/runs\/[^)\s]*\)/g, "](run)");
}
function whereLink(item, context) {
  const text = place(item);
  if (text === void 0) return "";
  const label = escapeMarkdownCell(escapeHtml(text));
  const file = item.file ?? "";
  const inRepo = !file.startsWith("/") && !/^[A-Za-z]:/.test(file) && !file.split(/[\\/]/).includes("..");
  if (context.repoUrl === void 0 || context.commit === void 0 || !inRepo) return label;
  const path = file.replace(/\\/g, "/").replace(/^\.\//, "").split("/").map(encodeURIComponent).join("/");
  const anchor = item.line === void 0 ? "" : `#L${item.line}`;
  return `[${label}](${context.repoUrl}/blob/${context.commit}/${path}${anchor})`;
}
var SECTION_BUDGET = 12e3;
var MAX_CELL = 400;
var MAX_LINE = 300;
var MAX_FIELD_LINES = 25;
var MAX_ITEM = 1e3;
var MAX_BLOCKED_NAMES = 20;
var ACTIONS = ["create", "update", "delete", "register", "deregister"];
function countsLine(plan) {
  const s = plan.summary;
  const parts = ACTIONS.filter((a) => s[a] > 0).map((a) => `${s[a]} to ${a}`);
  const extra = [
    ...s.blocked > 0 ? [`${s.blocked} blocked`] : [],
    ...plan.errors.length > 0 ? [plural(plan.errors.length, "error")] : []
  ];
  if (parts.length === 0 && extra.length === 0) return "No changes.";
  return [`Plan: ${parts.length > 0 ? parts.join(", ") : "no changes"}`, ...extra].join(" \xB7 ");
}
function applyCountsLine(report) {
  const plan = report.plan;
  if (plan.changes.length === 0 && plan.blocked.length === 0) {
    return plan.errors.length > 0 ? `No changes applied \xB7 ${plural(plan.errors.length, "error")}` : "No changes.";
  }
  const parts = [`${report.applied} applied`];
  if (report.failed > 0) parts.push(`${report.failed} failed`);
  if (report.skipped > 0) parts.push(`${report.skipped} skipped`);
  const extra = [
    ...plan.blocked.length > 0 ? [`${plan.blocked.length} blocked`] : [],
    ...plan.errors.length > 0 ? [plural(plan.errors.length, "error")] : []
  ];
  return [`Apply: ${parts.join(", ")}`, ...extra].join(" \xB7 ");
}
function outcomeLine(outcome) {
  switch (outcome.kind) {
    case "valid":
      return `Configuration valid (${plural(outcome.files, "file")}).`;
    case "invalid": {
      const errors = outcome.diagnostics.filter((d) => d.severity === "error").length;
      return `Configuration invalid: ${plural(errors, "error")}. Nothing was planned.`;
    }
    case "skipped":
    case "stopped":
      return outcome.title;
    case "plan":
      return countsLine(outcome.plan);
    case "apply":
      return applyCountsLine(outcome.report);
  }
}
function buildDocument(outcome, context) {
  const icon = outcomeIcon(outcome);
  const head = [
    `**${icon}${escapeInline(outcomeLine(outcome))}**`,
    `<sub>autoscale-gitops \xB7 ${code(context.configKey)}${context.commit ? ` \xB7 commit ${code(context.commit.slice(0, 7))}` : ""}${context.runUrl ? ` \xB7 ${runLink(context.runUrl)}` : ""}</sub>`
  ].join("\n");
  return { head, sections: sections(outcome, context) };
}
function outcomeIcon(outcome) {
  switch (outcome.kind) {
    case "valid":
      return "\u2705 ";
    case "invalid":
    case "stopped":
      return "\u274C ";
    case "skipped":
      return "\u23ED\uFE0F ";
    case "plan":
      return outcome.plan.errors.length > 0 ? "\u274C " : "";
    case "apply": {
      const r = outcome.report;
      return r.failed > 0 || r.skipped > 0 || r.plan.blocked.length > 0 || r.plan.errors.length > 0 ? "\u274C " : "";
    }
  }
}
function sections(outcome, context) {
  switch (outcome.kind) {
    case "valid":
      return warningSections(outcome.diagnostics);
    case "invalid":
      return diagnosticSections(outcome.diagnostics);
    case "skipped":
      return [{ markdown: escapeInline(outcome.why) }, ...warningSections(outcome.diagnostics)];
    case "stopped":
      return [{ markdown: escapeInline(outcome.why) }];
    case "plan":
      return planSections(outcome.plan, void 0, outcome.diagnostics, context);
    case "apply":
      return planSections(outcome.plan, outcome.report, outcome.diagnostics, context);
  }
}
function planSections(plan, report, diagnostics, context) {
  const out = [];
  if (plan.changes.length === 0 && plan.blocked.length === 0 && plan.errors.length === 0) {
    out.push({ markdown: "AWS matches the configuration: nothing to do." });
  }
  out.push(
    ...listSections(
      "\u274C Errors",
      plan.errors.map((e) => escapeInline(truncate(messageText(e), MAX_ITEM)))
    )
  );
  if (report !== void 0) {
    const failed = plan.changes.flatMap((c) => {
      const r = report.results.get(c.address);
      return r?.status === "failed" ? [`${code(c.address)}: ${escapeInline(truncate(r.error, MAX_ITEM))}`] : [];
    });
    out.push(...listSections("\u274C Failed", failed));
  }
  out.push(...listSections("\u26D4 Blocked", blockedItems(plan, context)));
  if (report !== void 0) {
    const skipped = plan.changes.flatMap((c) => {
      const r = report.results.get(c.address);
      return r?.status === "skipped" ? [`${code(c.address)}: ${escapeInline(truncate(r.why, MAX_ITEM))}`] : [];
    });
    out.push(...listSections("\u23ED\uFE0F Skipped", skipped));
  }
  out.push(...clusterSections(plan, report, context));
  out.push(...ecsDecisionSections(plan.decisions ?? []));
  out.push(...unchangedChartSections(plan));
  out.push(
    ...listSections(
      "\u26A0\uFE0F Warnings",
      plan.warnings.map((w) => escapeInline(truncate(messageText(w), MAX_ITEM))),
      true
    )
  );
  out.push(...warningSections(diagnostics));
  return out;
}
function clusterOf(address) {
  const slash = address.indexOf("/");
  return slash < 0 ? address : address.slice(0, slash);
}
function blockedItems(plan, context) {
  const groups = /* @__PURE__ */ new Map();
  for (const b of plan.blocked) {
    const key = `${b.reason}\0${b.guard?.file ?? ""}:${b.guard?.line ?? ""}`;
    groups.set(key, [...groups.get(key) ?? [], b]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0];
    const names = group.map(
      (b) => code(truncate(b.change === void 0 ? b.address : displayId(b.change), 200))
    );
    const shown = names.slice(0, MAX_BLOCKED_NAMES).join(", ");
    const more = names.length > MAX_BLOCKED_NAMES ? ` and ${names.length - MAX_BLOCKED_NAMES} more` : "";
    const raise = first.guard === void 0 ? "" : ` To let ${group.length === 1 ? "it" : "them"} through, raise ${code(first.guard.key)} at ${whereLink(first.guard, context)}.`;
    return `${escapeInline(truncate(first.reason, MAX_ITEM))}: ${plural(group.length, "change")} held back (${shown}${more}).${raise}`;
  });
}
function clusterSections(plan, report, context) {
  const changes = plan.changes;
  const byCluster = /* @__PURE__ */ new Map();
  for (const change of changes) {
    const key = clusterOf(change.address);
    byCluster.set(key, [...byCluster.get(key) ?? [], change]);
  }
  const out = [];
  for (const cluster of [...byCluster.keys()].sort()) {
    const own = byCluster.get(cluster) ?? [];
    const blocks = own.map((c) => changeBlock(c, decisionFor(plan, c), report, context));
    const files = [...new Set(own.flatMap((c) => c.file === void 0 ? [] : [c.file]))].sort();
    out.push(
      ...chunk(blocks, blockSize, SECTION_BUDGET, (part, label) => ({
        markdown: clusterDetails(cluster, files, part, label, report !== void 0),
        items: part.length
      }))
    );
  }
  return out;
}
function blockSize(block) {
  return sizeOf(block.row) + block.diff.reduce((n, l) => n + sizeOf(l) + 1, 0) + sizeOf(block.decisions) + 2;
}
function changeBlock(change, decision, report, context) {
  const result = report?.results.get(change.address);
  const cells = [
    `${ACTION_SIGN[change.action]} ${changeVerb(change, decision)}`,
    code(truncate(displayId(change), MAX_CELL)),
    change.type,
    cell(truncate(change.reason, MAX_CELL)),
    whereLink(change, context),
    ...report === void 0 ? [] : [result === void 0 ? "" : cell(truncate(resultText(result), MAX_CELL))]
  ];
  const fields = fieldLines(change);
  const diff = [
    truncate(headline(change, decision), MAX_LINE),
    ...fields.slice(0, MAX_FIELD_LINES).map((l) => truncate(`${l.sign === "~" ? "!" : l.sign}   ${l.key}: ${l.text}`, MAX_LINE)),
    ...fields.length > MAX_FIELD_LINES ? [`    \u2026 ${fields.length - MAX_FIELD_LINES} more fields in the plan JSON`] : []
  ];
  return { change, row: `| ${cells.join(" | ")} |`, diff, decisions: decisionsMarkdown(change) };
}
function clusterDetails(cluster, files, blocks, part, withResult) {
  const counts = ACTIONS.map((a) => [a, blocks.filter((b) => b.change.action === a).length]).filter(([, n]) => n > 0).map(([a, n]) => `${n} to ${a}`).join(", ");
  const where = files.length === 0 ? "" : ` \xB7 ${files.map((f) => `<code>${escapeHtml(f)}</code>`).join(", ")}`;
  const summary = `<summary><b>${escapeHtml(cluster)}</b>${where} \xB7 ${counts}${part ? ` (${part})` : ""}</summary>`;
  const header = withResult ? "| Action | Object | Type | Why | Where | Result |" : "| Action | Object | Type | Why | Where |";
  const rule = withResult ? "|---|---|---|---|---|---|" : "|---|---|---|---|---|";
  const decisions = blocks.map((b) => b.decisions).filter((d) => d !== "");
  return [
    "<details>",
    summary,
    "",
    header,
    rule,
    ...blocks.map((b) => b.row),
    "",
    fence(blocks.flatMap((b) => b.diff).join("\n"), "diff"),
    ...decisions.flatMap((d) => ["", d]),
    "",
    "</details>"
  ].join("\n");
}
function ecsDecisionSections(decisions) {
  const byCluster = /* @__PURE__ */ new Map();
  for (const d of decisions) byCluster.set(d.cluster, [...byCluster.get(d.cluster) ?? [], d]);
  const out = [];
  for (const cluster of [...byCluster.keys()].sort()) {
    const own = byCluster.get(cluster) ?? [];
    const rows = own.map(decisionRow);
    out.push(
      ...chunk(
        rows,
        (r) => sizeOf(r) + 1,
        SECTION_BUDGET,
        (part, label) => {
          const tally = /* @__PURE__ */ new Map();
          for (const d of own) tally.set(outcomeText2(d), (tally.get(outcomeText2(d)) ?? 0) + 1);
          const counts = [...tally].map(([what, n]) => `${n} ${escapeHtml(what)}`).join(", ");
          const summary = `<summary><b>${escapeHtml(cluster)}</b> \xB7 ECS decisions \xB7 ${counts}${label ? ` (${label})` : ""}</summary>`;
          return {
            markdown: ["<details>", summary, "", DECISION_HEADER, ...part, "", "</details>"].join("\n")
          };
        }
      )
    );
  }
  return out;
}
function unchangedChartSections(plan) {
  const changed = new Set(plan.changes.map((c) => c.address));
  const byCluster = /* @__PURE__ */ new Map();
  for (const d of plan.decisions ?? []) {
    if (changed.has(d.address)) continue;
    const charts = decisionCharts(d);
    if (charts !== "") byCluster.set(d.cluster, [...byCluster.get(d.cluster) ?? [], charts]);
  }
  return [...byCluster.keys()].sort().flatMap((cluster) => {
    const blocks = byCluster.get(cluster) ?? [];
    return chunk(
      blocks,
      (b) => sizeOf(b) + 2,
      SECTION_BUDGET,
      (part, label) => ({
        markdown: [
          "<details>",
          `<summary><b>${escapeHtml(cluster)}</b> \xB7 charts of the services left as they are (${part.length})${label ? ` (${label})` : ""}</summary>`,
          "",
          part.join("\n\n"),
          "",
          "</details>"
        ].join("\n")
      })
    );
  });
}
function listSections(title, items, folded = false) {
  if (items.length === 0) return [];
  return chunk(
    items,
    (i) => sizeOf(i) + 3,
    SECTION_BUDGET,
    (part, label) => {
      const heading = `${title} (${items.length})${label ? `, ${label}` : ""}`;
      const list = part.map((i) => `- ${i}`).join("\n");
      return {
        markdown: folded ? `<details>
<summary>${heading}</summary>

${list}

</details>` : `**${heading}**

${list}`
      };
    }
  );
}
function diagnosticSections(diagnostics, folded = false) {
  if (diagnostics.length === 0) return [];
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const rows = diagnostics.map((d) => {
    const icon = d.severity === "error" ? "\u274C" : "\u26A0\uFE0F";
    return `| ${icon} | ${code(`${d.file}:${d.line}:${d.col}`)} | ${cell(truncate(d.message, MAX_ITEM))} |`;
  });
  const title = `Configuration: ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  return chunk(
    rows,
    (r) => sizeOf(r) + 1,
    SECTION_BUDGET,
    (part, label) => {
      const heading = `${title}${label ? ` (${label})` : ""}`;
      const table = ["| | Location | Problem |", "|---|---|---|", ...part].join("\n");
      return {
        markdown: folded ? `<details>
<summary>${heading}</summary>

${table}

</details>` : `**${heading}**

${table}`
      };
    }
  );
}
function warningSections(diagnostics) {
  return diagnosticSections(
    diagnostics.filter((d) => d.severity === "warning"),
    true
  );
}
function commentCutNote(runUrl) {
  return (omitted) => {
    const where = runUrl === void 0 ? "the job summary of this run" : `the [job summary](${runUrl})`;
    return `> [!NOTE]
> ${omittedText(omitted)}: this comment is cut to stay under GitHub's size limit. The full plan is in ${where}.`;
  };
}
function summaryCutNote(omitted) {
  return `> [!NOTE]
> ${omittedText(omitted)}: the summary is cut to stay under GitHub's size limit. The full plan is in the JSON file of the \`plan-json\` output and in this step's log.`;
}

// src/github/sticky.ts
var MARKER_PREFIX = "<!-- autoscale-gitops";
function markerKey(configDir, only) {
  const dir = configDir.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "") || ".";
  return only ? `${dir} only=${only}` : dir;
}
function marker(kind, key) {
  const safe = key.replace(/-{2,}/g, (m) => m.split("").join(" ")).replace(/>/g, "&gt;");
  return `${MARKER_PREFIX} ${kind}: ${safe} -->`;
}
function hasMarker(body, mark) {
  return body.split(/\r?\n/).some((line) => line.trim() === mark);
}
function sameBody(a, b) {
  const norm = (s) => withoutRunLinks(s.replace(/\r\n/g, "\n").trimEnd());
  return norm(a) === norm(b);
}
async function resolveIdentity(api, configured) {
  if (configured) return configured;
  return await api.authenticatedLogin() ?? ACTIONS_BOT;
}
async function findOwnComment(api, issue, mark, author) {
  for await (const page of api.issueComments(issue)) {
    const found = page.find((c) => sameLogin(c.author, author) && hasMarker(c.body, mark));
    if (found !== void 0) return found;
  }
  return void 0;
}
function sameLogin(a, b) {
  return a.toLowerCase() === b.toLowerCase();
}
function stickyBody(mark, body) {
  return `${mark}
${body}`;
}
async function upsertSticky(api, options) {
  const body = stickyBody(options.marker, options.body);
  if (sizeOf(body) > COMMENT_LIMIT) {
    return { action: "failed", error: new Error(`comment of ${sizeOf(body)} bytes is over GitHub's limit`) };
  }
  try {
    const existing = await findOwnComment(api, options.issue, options.marker, options.author);
    if (existing === void 0) {
      if (options.createIfMissing === false) return { action: "skipped" };
      return { action: "created", comment: await api.createIssueComment(options.issue, body) };
    }
    if (sameBody(existing.body, body)) return { action: "unchanged", comment: existing };
    return { action: "updated", comment: await api.updateIssueComment(existing.id, body) };
  } catch (error) {
    return { action: "failed", error };
  }
}

// src/github/comment.ts
function reportContext(event, configKey) {
  const commit = event.pullRequest?.headSha || event.sha;
  return {
    configKey,
    ...commit ? { commit } : {},
    ...event.repoUrl === void 0 ? {} : { repoUrl: event.repoUrl },
    ...event.runUrl === void 0 ? {} : { runUrl: event.runUrl }
  };
}
function renderComment(outcome, context) {
  const mark = marker("plan", context.configKey);
  const fitted = fitDocument(buildDocument(outcome, context), {
    limit: COMMENT_LIMIT - sizeOf(mark) - 1,
    note: commentCutNote(context.runUrl)
  });
  return { marker: mark, text: fitted.markdown, fitted };
}
function commentBody(outcome, context) {
  const rendered = renderComment(outcome, context);
  return stickyBody(rendered.marker, rendered.text);
}
function planComment(plan, report, context) {
  const outcome = report === void 0 ? { kind: "plan", plan, diagnostics: [] } : { kind: "apply", plan, report, diagnostics: [] };
  return commentBody(outcome, context);
}

// src/github/event.ts
import { readFileSync } from "node:fs";

// src/github/glob.ts
var PatternError = class extends Error {
};
function compileGlob(pattern) {
  let source = "";
  let quantifiable = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        source += ".*";
        i++;
      } else source += "[^/]*";
      quantifiable = false;
    } else if (c === "?" || c === "+") {
      if (!quantifiable) throw new PatternError(`"${c}" in "${pattern}" has no character before it`);
      source += c;
      quantifiable = false;
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end <= i + 1) throw new PatternError(`"[" in "${pattern}" is not closed by "]"`);
      const body = pattern.slice(i + 1, end);
      if (!/^([a-zA-Z0-9](-[a-zA-Z0-9])?)+$/.test(body))
        throw new PatternError(`"[${body}]" in "${pattern}": only letters, digits and ranges such as a-z`);
      source += `[${body}]`;
      i = end;
      quantifiable = true;
    } else if (c === "\\" && i + 1 < pattern.length) {
      source += literal(pattern[i + 1]);
      i++;
      quantifiable = true;
    } else {
      source += literal(c);
      quantifiable = true;
    }
  }
  return new RegExp(`^${source}$`);
}
function literal(c) {
  return /[.+?^${}()|[\]\\*/-]/.test(c) ? `\\${c}` : c;
}
function compilePatterns(patterns) {
  return patterns.map((text) => {
    const exclude = text.startsWith("!");
    return { text, exclude, regex: compileGlob(exclude ? text.slice(1) : text) };
  });
}
function lastMatch(patterns, names) {
  let found;
  for (const pattern of patterns) if (names.some((name) => pattern.regex.test(name))) found = pattern;
  return found;
}

// src/github/event.ts
var PULL_REQUEST_EVENTS = /* @__PURE__ */ new Set(["pull_request", "pull_request_target"]);
var APPLY_EVENTS = /* @__PURE__ */ new Set(["schedule", "push", "workflow_dispatch"]);
function readPayload(path) {
  if (!path) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
function readEvent(env, payload) {
  const name = env.GITHUB_EVENT_NAME ?? "";
  const repository = objectAt(payload, "repository");
  const fullName = env.GITHUB_REPOSITORY || stringAt(repository, "full_name") || "";
  const [owner, repoName] = fullName.split("/");
  const repo = owner && repoName ? { owner, repo: repoName } : void 0;
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const runUrl = repo !== void 0 && env.GITHUB_RUN_ID ? `${server}/${repo.owner}/${repo.repo}/actions/runs/${env.GITHUB_RUN_ID}` + (env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== "1" ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : "") : void 0;
  return {
    name,
    repo,
    ref: env.GITHUB_REF ?? "",
    sha: env.GITHUB_SHA ?? "",
    defaultBranch: stringAt(repository, "default_branch") || void 0,
    pullRequest: pullRequestOf(payload, fullName),
    runUrl,
    repoUrl: repo === void 0 ? void 0 : `${server}/${repo.owner}/${repo.repo}`
  };
}
function pullRequestOf(payload, repoName) {
  const pr = objectAt(payload, "pull_request");
  if (pr === void 0) return void 0;
  const number = pr.number ?? payload.number;
  if (typeof number !== "number") return void 0;
  const head = objectAt(pr, "head");
  const headRepoObj = objectAt(head, "repo");
  const headRepo = stringAt(headRepoObj, "full_name") || void 0;
  const baseRepo = stringAt(objectAt(objectAt(pr, "base"), "repo"), "full_name") || repoName;
  let fromFork;
  if (headRepoObj === void 0)
    fromFork = true;
  else if (headRepo !== void 0 && baseRepo) fromFork = headRepo.toLowerCase() !== baseRepo.toLowerCase();
  else fromFork = headRepoObj.fork === true;
  return {
    number,
    headRef: stringAt(head, "ref") ?? "",
    headSha: stringAt(head, "sha") ?? "",
    headRepo,
    fromFork
  };
}
var MODES = ["auto", "validate", "plan", "apply"];
function resolveMode(mode, event) {
  if (mode !== "auto") return { mode, why: `mode: ${mode}` };
  if (PULL_REQUEST_EVENTS.has(event.name)) return { mode: "plan", why: `${event.name}: plan` };
  if (event.name === "push" && event.defaultBranch !== void 0 && branchOf(event.ref) !== event.defaultBranch) {
    return {
      mode: "plan",
      why: `push to ${event.ref}, not the default branch ${event.defaultBranch}: plan only`
    };
  }
  if (APPLY_EVENTS.has(event.name)) return { mode: "apply", why: `${event.name}: apply` };
  return { mode: "plan", why: `${event.name || "no event"}: plan` };
}
function branchOf(ref) {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : void 0;
}
function parsePatterns(input) {
  const patterns = input.split(/[,\n]/).map((p) => p.trim()).filter((p) => p.length > 0);
  compilePatterns(patterns);
  return patterns;
}
function checkApplyRef(event, defaultBranch, allowOn) {
  const pr = event.pullRequest;
  if (pr?.fromFork) {
    return {
      allowed: false,
      why: `pull request #${pr.number} comes from a fork (${pr.headRepo ?? "unknown"}): never applied`
    };
  }
  const branch = pr !== void 0 && PULL_REQUEST_EVENTS.has(event.name) ? pr.headRef : branchOf(event.ref);
  const shown = branch ?? (event.ref || "(no ref)");
  if (branch !== void 0 && defaultBranch !== void 0 && branch === defaultBranch) {
    return { allowed: true, why: `${branch} is the default branch` };
  }
  const match = lastMatch(compilePatterns(allowOn), branch === void 0 ? [event.ref] : [branch, event.ref]);
  if (match !== void 0 && !match.exclude)
    return { allowed: true, why: `${shown} matches allow-apply-on "${match.text}"` };
  if (match !== void 0) {
    return {
      allowed: false,
      why: `apply refused: ${shown} is excluded by allow-apply-on "${match.text}". Merge to ${defaultBranch ?? "the default branch"} first.`
    };
  }
  const base = defaultBranch === void 0 ? `the default branch could not be determined, and ${shown} is not in allow-apply-on` : `${shown} is not the default branch (${defaultBranch})`;
  return {
    allowed: false,
    why: `apply refused: ${base}. Merge to ${defaultBranch ?? "the default branch"} first, or list the branch in the allow-apply-on input.`
  };
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function objectAt(value, key) {
  const inner = value?.[key];
  return isObject(inner) ? inner : void 0;
}
function stringAt(value, key) {
  const inner = value?.[key];
  return typeof inner === "string" ? inner : void 0;
}

// src/github/redact.ts
var VOCABULARY_FIELDS = /* @__PURE__ */ new Set(["kind", "severity"]);
var VOCABULARY = /^[a-z_]+$/;
var USER_KEYED_FIELDS = /* @__PURE__ */ new Set(["dimensions", "headers", "metrics", "series"]);
function redactDeep(value, hide) {
  return walk(value, hide);
}
function walk(value, hide, userKeys = false) {
  if (typeof value === "string") return hide(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, hide));
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [walk(k, hide), walk(v, hide)]));
  }
  if (value instanceof Set) return new Set([...value].map((v) => walk(v, hide)));
  if (value instanceof Date) return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (userKeys) out[hide(k)] = walk(v, hide);
    else if (VOCABULARY_FIELDS.has(k) && typeof v === "string" && VOCABULARY.test(v)) out[k] = v;
    else out[k] = walk(v, hide, USER_KEYED_FIELDS.has(k));
  }
  return out;
}

// src/render/json.ts
var JSON_FORMAT = 1;
function planDocument(plan, report) {
  return {
    format: JSON_FORMAT,
    summary: plan.summary,
    changes: plan.changes.map((c) => changeDocument(c, report?.results.get(c.address))),
    blocked: plan.blocked.map((b) => ({
      address: b.address,
      reason: b.reason,
      // What was held back, with its evidence (a guarded prune).
      ...b.change === void 0 ? {} : {
        type: b.change.type,
        action: b.change.action,
        id: b.change.id,
        before: b.change.before,
        evidence: b.change.reason
      }
    })),
    warnings: plan.warnings.map(messageText),
    errors: plan.errors.map((e) => ({
      address: e.address ?? null,
      file: e.file ?? null,
      line: e.line ?? null,
      message: e.message
    })),
    ...decisionsDocument(plan)
  };
}
function changeDocument(change, result) {
  return {
    address: change.address,
    type: change.type,
    action: change.action,
    id: change.id,
    file: change.file ?? null,
    line: change.line ?? null,
    before: change.before,
    after: change.after,
    reason: change.reason,
    // Where each wanted size comes from: the YAML, a schedule in force, or the group's policies.
    ...change.sources === void 0 ? {} : { source: sourceDocument(change.sources) },
    ...result === void 0 ? {} : resultDocument(result)
  };
}
function sourceDocument(sources) {
  return Object.fromEntries(
    Object.entries(sources).map(([field, s]) => [
      field,
      s.from === "yaml" ? { from: "yaml" } : {
        from: s.from,
        label: s.label,
        scheduled_action: s.action,
        fired: s.fired,
        time_zone: s.timeZone,
        yaml: s.yaml ?? null
      }
    ])
  );
}
function resultDocument(result) {
  switch (result.status) {
    case "applied":
      return { result: "applied", ...result.note === void 0 ? {} : { note: result.note } };
    case "failed":
      return { result: "failed", error: result.error };
    case "skipped":
      return { result: "skipped", why: result.why };
  }
}
function renderJson(plan, report) {
  return `${JSON.stringify(planDocument(plan, report), null, 2)}
`;
}

// src/render/index.ts
function render(format, plan, report, context = { configKey: "clusters" }) {
  switch (format) {
    case "text":
      return renderText(plan, report);
    case "json":
      return renderJson(plan, report);
    case "markdown":
      return planComment(plan, report, context);
  }
}

export {
  statusOf,
  githubErrorText,
  createGitHubApi,
  escapeInline,
  code,
  sizeOf,
  COMMENT_LIMIT,
  SUMMARY_LIMIT,
  fitDocument,
  renderText,
  messageText,
  runLink,
  applyCountsLine,
  outcomeLine,
  buildDocument,
  commentCutNote,
  summaryCutNote,
  markerKey,
  marker,
  hasMarker,
  sameBody,
  resolveIdentity,
  findOwnComment,
  upsertSticky,
  reportContext,
  renderComment,
  PULL_REQUEST_EVENTS,
  readPayload,
  readEvent,
  MODES,
  resolveMode,
  branchOf,
  parsePatterns,
  checkApplyRef,
  redactDeep,
  renderJson,
  render
};
