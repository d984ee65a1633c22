import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  defaultRegion
} from "./chunk-UUBFX5O2.js";
import {
  loadConfig,
  loadSchema
} from "./chunk-5EKTWFOG.js";
import {
  EXIT_ERROR,
  EXIT_OK,
  reportDiagnostics
} from "./chunk-BZLXKEEX.js";
import "./chunk-3TBXY3X3.js";
import "./chunk-FNCZ57DY.js";
import "./chunk-6WGDWBGG.js";
import "./chunk-OH2HIJBA.js";
import "./chunk-4G67S2IA.js";
import "./chunk-2TAAZKGB.js";
import "./chunk-NHRM3HTZ.js";
import "./chunk-QUBOY3ZF.js";
import "./chunk-SC6IPQVQ.js";
import "./chunk-FA6EQWUK.js";

// src/iam/policy.ts
var OWNED_PREFIX = "gitops-";
function iamPolicy(files, defaultRegion2) {
  const region = (c) => c.region ?? defaultRegion2 ?? "*";
  const groupArns = /* @__PURE__ */ new Set();
  const capacityGroupArns = /* @__PURE__ */ new Set();
  const serviceArns = /* @__PURE__ */ new Set();
  const clusterArns = /* @__PURE__ */ new Set();
  const containerInstanceArns = /* @__PURE__ */ new Set();
  const targetGroupArns = /* @__PURE__ */ new Set();
  const roleArns = /* @__PURE__ */ new Set();
  const alarmArns = /* @__PURE__ */ new Set();
  const reads = /* @__PURE__ */ new Set();
  let creates = false;
  let triggers = false;
  let schedules = false;
  let capacity = false;
  let cloudwatchMetrics = false;
  let pruneTargets = false;
  let pruneInstanceAlarms = null;
  for (const { cluster, config } of files) {
    const r = region(config);
    if (config.role_arn) roleArns.add(config.role_arn);
    for (const [name, group] of Object.entries(config.groups ?? {})) {
      groupArns.add(`arn:aws:autoscaling:${r}:*:autoScalingGroup:*:autoScalingGroupName/${name}`);
      reads.add("autoscaling:DescribeAutoScalingGroups");
      if (group.launch_template) creates = true;
      if (group.triggers && Object.keys(group.triggers).length > 0) triggers = true;
      if (group.schedules && Object.keys(group.schedules).length > 0) schedules = true;
      for (const arn of group.target_groups ?? []) targetGroupArns.add(arn);
    }
    if (config.groups) {
      reads.add("autoscaling:DescribePolicies");
      reads.add("autoscaling:DescribeScheduledActions");
      reads.add("cloudwatch:DescribeAlarms");
      alarmArns.add(`arn:aws:cloudwatch:${r}:*:alarm:${OWNED_PREFIX}*`);
    }
    const services = Object.entries(config.services ?? {});
    if (services.length > 0 || config.autoscale_group) {
      clusterArns.add(`arn:aws:ecs:${r}:*:cluster/${cluster}`);
      reads.add("ecs:DescribeServices");
      reads.add("ecs:DescribeTaskDefinition");
      for (const [name, service] of services) {
        serviceArns.add(`arn:aws:ecs:${r}:*:service/${cluster}/${name}`);
        if (service.metric_sources?.cloudwatch?.length) cloudwatchMetrics = true;
      }
    }
    if (config.autoscale_group) {
      capacity = true;
      reads.add("autoscaling:DescribeAutoScalingGroups");
      capacityGroupArns.add(
        `arn:aws:autoscaling:${r}:*:autoScalingGroup:*:autoScalingGroupName/${config.autoscale_group}`
      );
      containerInstanceArns.add(`arn:aws:ecs:${r}:*:container-instance/${cluster}/*`);
    }
    const prune = config.prune;
    if (prune?.ecs_container_instances) {
      clusterArns.add(`arn:aws:ecs:${r}:*:cluster/${cluster}`);
      containerInstanceArns.add(`arn:aws:ecs:${r}:*:container-instance/${cluster}/*`);
    }
    if (prune?.target_groups) pruneTargets = true;
    if (prune?.instance_alarms) {
      reads.add("cloudwatch:DescribeAlarms");
      pruneInstanceAlarms = typeof prune.instance_alarms === "object" ? prune.instance_alarms.prefix : "";
      alarmArns.add(`arn:aws:cloudwatch:${r}:*:alarm:${pruneInstanceAlarms}*`);
    }
  }
  const needsInstances = capacity || pruneTargets || targetGroupArns.size > 0 || pruneInstanceAlarms !== null || files.some((f) => f.config.prune);
  if (needsInstances) reads.add("ec2:DescribeInstances");
  if (targetGroupArns.size > 0 || pruneTargets) {
    reads.add("elasticloadbalancing:DescribeTargetGroups");
    reads.add("elasticloadbalancing:DescribeTargetHealth");
  }
  if (cloudwatchMetrics) reads.add("cloudwatch:GetMetricData");
  if (containerInstanceArns.size > 0) {
    reads.add("ecs:ListContainerInstances");
    reads.add("ecs:DescribeContainerInstances");
  }
  const statements = [];
  if (reads.size > 0) statements.push(allow("ReadLiveState", [...reads], ["*"]));
  const groupWrites = ["autoscaling:UpdateAutoScalingGroup"];
  if (triggers || groupArns.size > 0)
    groupWrites.push("autoscaling:PutScalingPolicy", "autoscaling:DeletePolicy");
  if (schedules || groupArns.size > 0) {
    groupWrites.push("autoscaling:PutScheduledUpdateGroupAction", "autoscaling:DeleteScheduledAction");
  }
  if (groupArns.size > 0) {
    groupWrites.push(
      "autoscaling:AttachLoadBalancerTargetGroups",
      "autoscaling:DetachLoadBalancerTargetGroups",
      "autoscaling:AttachLoadBalancers",
      "autoscaling:DetachLoadBalancers",
      "autoscaling:CreateOrUpdateTags",
      "autoscaling:DeleteTags"
    );
  }
  if (groupArns.size > 0) statements.push(allow("ManageGroups", groupWrites, [...groupArns]));
  if (capacityGroupArns.size > 0) {
    statements.push(
      allow(
        "ScaleCapacityGroups",
        ["autoscaling:UpdateAutoScalingGroup", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        [...capacityGroupArns]
      )
    );
  }
  if (creates) {
    statements.push(
      allow(
        "CreateGroups",
        ["autoscaling:CreateAutoScalingGroup", "autoscaling:CreateOrUpdateTags"],
        [...groupArns]
      )
    );
    statements.push(
      allow("LaunchFromTemplates", ["ec2:RunInstances", "ec2:CreateTags", "iam:PassRole"], ["*"])
    );
  }
  if (alarmArns.size > 0) {
    statements.push(
      allow(
        "ManageOwnedAlarms",
        ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource"],
        [...alarmArns]
      )
    );
  }
  if (serviceArns.size > 0)
    statements.push(allow("ScaleServices", ["ecs:UpdateService", "ecs:TagResource"], [...serviceArns]));
  if (containerInstanceArns.size > 0) {
    statements.push(
      allow(
        "ManageContainerInstances",
        ["ecs:UpdateContainerInstancesState", "ecs:DeregisterContainerInstance"],
        [...clusterArns, ...containerInstanceArns]
      )
    );
  }
  if (targetGroupArns.size > 0 || pruneTargets) {
    const resources = pruneTargets ? ["arn:aws:elasticloadbalancing:*:*:targetgroup/*"] : [...targetGroupArns];
    statements.push(
      allow(
        "ManageTargets",
        ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        resources
      )
    );
  }
  if (roleArns.size > 0) statements.push(allow("AssumeFileRoles", ["sts:AssumeRole"], [...roleArns]));
  return { Version: "2012-10-17", Statement: statements };
}
function allow(Sid, actions, resources) {
  return {
    Sid,
    Effect: "Allow",
    Action: [...new Set(actions)].sort(),
    Resource: [...new Set(resources)].sort()
  };
}

// src/cli/offline.ts
function schemaCommand(io) {
  io.stdout(`${JSON.stringify(loadSchema(), null, 2)}
`);
  return EXIT_OK;
}
function regionOf(options, io) {
  return defaultRegion(options.region, io.env);
}
async function configOptions(options, io) {
  const region = await regionOf(options, io);
  return {
    env: io.env,
    ...options.only === void 0 ? {} : { only: options.only },
    ...region === void 0 ? {} : { region }
  };
}
async function iamPolicyCommand(options, io) {
  const result = await loadConfig(options.config, await configOptions(options, io));
  if (reportDiagnostics(result.diagnostics, result.secrets, io)) return EXIT_ERROR;
  io.stdout(`${JSON.stringify(iamPolicy(result.clusters, await regionOf(options, io)), null, 2)}
`);
  return EXIT_OK;
}
async function validateCommand(options, io) {
  const result = await loadConfig(options.config, {
    ...await configOptions(options, io),
    missingEnv: options.strictEnv ? "error" : "warning"
  });
  if (reportDiagnostics(result.diagnostics, result.secrets, io)) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    io.stderr(`${errors} error${errors === 1 ? "" : "s"} in ${options.config}
`);
    return EXIT_ERROR;
  }
  io.stdout(
    `${result.files.length} file${result.files.length === 1 ? "" : "s"} valid in ${options.config}
`
  );
  return EXIT_OK;
}
export {
  iamPolicyCommand,
  schemaCommand,
  validateCommand
};
