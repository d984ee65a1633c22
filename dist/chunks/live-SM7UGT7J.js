import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  applyExitCode,
  applyPlanned,
  planExitCode,
  runApply,
  runPlan
} from "./chunk-67STT7GD.js";
import "./chunk-OO726H3O.js";
import {
  hasChanges
} from "./chunk-BNYUVJHI.js";
import "./chunk-UUBFX5O2.js";
import "./chunk-2ZFFJAPK.js";
import "./chunk-26C2TAB2.js";
import "./chunk-TBXPU6QX.js";
import "./chunk-BD6Y23F3.js";
import {
  markerKey,
  messageText,
  readEvent,
  readPayload,
  redactDeep,
  render,
  reportContext
} from "./chunk-I2WKWT75.js";
import "./chunk-2CT24WMD.js";
import "./chunk-5EKTWFOG.js";
import {
  EXIT_ERROR,
  EXIT_OK,
  reportDiagnostics
} from "./chunk-BZLXKEEX.js";
import {
  RunDeadline
} from "./chunk-PSJCBZ7R.js";
import {
  Masker
} from "./chunk-3TBXY3X3.js";
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

// src/cli/live.ts
import { open } from "node:fs/promises";
function pipelineOptions(options, io) {
  return {
    configDir: options.config,
    deadline: new RunDeadline(options.timeoutSeconds),
    env: io.env,
    ...options.only === void 0 ? {} : { only: options.only },
    ...options.region === void 0 ? {} : { region: options.region },
    ...options.cacheDir === void 0 ? {} : { cacheDir: options.cacheDir }
  };
}
function reportPlanErrors(plan, secrets, io) {
  const { hide } = new Masker(secrets);
  for (const error of plan.errors) io.stderr(`autoscale-gitops: error: ${hide(messageText(error))}
`);
}
function renderMasked(options, io, secrets, plan, report) {
  const { hide } = new Masker(secrets);
  const safePlan = redactDeep(plan, hide);
  const safeReport = report === void 0 ? void 0 : redactDeep(report, hide);
  const event = readEvent(io.env, readPayload(io.env.GITHUB_EVENT_PATH));
  const context = reportContext(event, markerKey(options.config, options.only));
  return hide(render(options.format, safePlan, safeReport, context));
}
async function openOutput(options, io) {
  let file;
  if (options.out !== void 0) {
    try {
      file = await open(options.out, "w");
    } catch (error) {
      const code = error.code ?? error.message;
      return `--out ${options.out} cannot be written (${code}); nothing was read from or changed in AWS`;
    }
  }
  return {
    async emit(text) {
      const line = text.endsWith("\n") ? text : `${text}
`;
      io.stdout(line);
      await file?.writeFile(line);
    },
    async close() {
      await file?.close();
    }
  };
}
async function withOutput(options, io, body) {
  const out = await openOutput(options, io);
  if (typeof out === "string") {
    io.stderr(`autoscale-gitops: error: ${out}
`);
    return EXIT_ERROR;
  }
  try {
    return await body(out);
  } finally {
    await out.close();
  }
}
function planCommand(options, io) {
  return withOutput(options, io, async (out) => {
    const run = await runPlan(pipelineOptions(options, io));
    if (reportDiagnostics(run.diagnostics, run.secrets, io) || run.plan === null) return EXIT_ERROR;
    await out.emit(renderMasked(options, io, run.secrets, run.plan));
    reportPlanErrors(run.plan, run.secrets, io);
    return planExitCode(run, options.detailedExitcode);
  });
}
function applyCommand(options, io) {
  if (!options.autoApprove && (!io.isInteractive || io.ask === void 0)) {
    io.stderr(
      "autoscale-gitops: error: apply needs --auto-approve when no one is at a terminal to confirm\n"
    );
    return Promise.resolve(EXIT_ERROR);
  }
  return withOutput(
    options,
    io,
    (out) => options.autoApprove ? autoApply(options, io, out) : confirmAndApply(options, io, out)
  );
}
async function autoApply(options, io, out) {
  const run = await runApply(pipelineOptions(options, io));
  if (reportDiagnostics(run.diagnostics, run.secrets, io) || run.plan === null) return EXIT_ERROR;
  await out.emit(renderMasked(options, io, run.secrets, run.plan, run.report ?? void 0));
  reportPlanErrors(run.plan, run.secrets, io);
  return applyExitCode(run);
}
async function confirmAndApply(options, io, out) {
  const ask = io.ask;
  const run = await runPlan(pipelineOptions(options, io));
  if (reportDiagnostics(run.diagnostics, run.secrets, io) || run.plan === null) return EXIT_ERROR;
  io.stdout(`${renderMasked({ ...options, format: "text" }, io, run.secrets, run.plan)}
`);
  const errors = run.plan.errors.length;
  reportPlanErrors(run.plan, run.secrets, io);
  if (!hasChanges(run.plan)) return errors > 0 ? EXIT_ERROR : EXIT_OK;
  if (errors > 0) {
    io.stderr(
      `The plan has ${errors === 1 ? "an error" : `${errors} errors`} (above): what ${errors === 1 ? "it concerns" : "they concern"} is left as it is; the changes shown can still be applied, and the exit status will be 1.
`
    );
  }
  const answer = await ask('Apply these changes? Only "yes" is accepted: ');
  if (answer.trim() !== "yes") {
    io.stderr("Apply cancelled.\n");
    return EXIT_ERROR;
  }
  const report = await applyPlanned(run.plan, pipelineOptions(options, io));
  const applied = { ...run, report };
  await out.emit(renderMasked(options, io, run.secrets, run.plan, report));
  return applyExitCode(applied);
}
export {
  applyCommand,
  planCommand
};
