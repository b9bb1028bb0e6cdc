/**
 * How far each action can be narrowed, as the Service Authorization Reference lists its resource
 * types and condition keys (Amazon EC2, Systems Manager, KMS, IAM, S3). An action not listed here
 * supports no resource-level permission (most Describe*, Get* and Search* calls): it gets the
 * resource "*", limited to the role's regions with aws:RequestedRegion where the service is
 * regional. The emulator's IAM fixes evaluate the EC2 scopes the same way (emulator/README.md).
 */
import { IamAction, serviceOf } from "./aws-call";
import { Condition, Grant } from "./policy-document";
import { TAG_TOPOLOGY } from "../../constructs/naming";
import type { Topology } from "../../config/topology";
import { partitionOf } from "../../config/regions";
import { GITHUB_OIDC_HOST } from "./role-trust";

/** Image and snapshot tag written by `ami copy`: `source` in the instance's region, `copy` in the DR region. */
export const IMAGE_ROLE_TAG = "regionpair:role";
/** Tag `restore --drill` puts on everything a drill launches. */
export const DRILL_TAG = "regionpair:drill-id";

export interface ScopeContext {
  readonly topology: Topology;
  /** The regions the role acts in (both, or the one given with --region). */
  readonly regions: readonly string[];
  /** Account in ARNs: `*`, or an id (the iam stack passes the deploying account). */
  readonly account: string;
  /** KMS keys the copies may be encrypted with (topology `iam.kmsKeyArns`). */
  readonly kmsKeyArns: readonly string[];
}

type Scoper = (action: IamAction, context: ScopeContext, role: string) => Grant[];

const GLOBAL_SERVICES = new Set(["iam", "sts", "route53", "s3"]);

function partition(context: ScopeContext): string {
  return partitionOf(context.regions[0] ?? context.topology.primary.region);
}

export function ec2Arn(context: ScopeContext, region: string, type: string, id = "*"): string {
  // AMIs and snapshots have no account in their ARN.
  const account = type === "image" || type === "snapshot" ? "" : context.account;
  return `arn:${partition(context)}:ec2:${region}:${account}:${type}/${id}`;
}

const inRegions = (context: ScopeContext, type: string) => context.regions.map((region) => ec2Arn(context, region, type));
const topologyTagged = (context: ScopeContext): Condition => ({ StringEquals: { [`aws:ResourceTag/${TAG_TOPOLOGY}`]: context.topology.name } });

/** Route calls: the pair's route tables and attachments (tagged by the stacks), and any existing attachment the topology names. */
const transitGatewayRoutes: Scoper = (action, context) => {
  const existing = context.regions.flatMap((region) =>
    [...context.topology.primary.connections, ...context.topology.secondary.connections]
      .filter((c) => c.region === region && c.kind === "attachment")
      .map((c) => ec2Arn(context, region, "transit-gateway-attachment", (c as { attachmentId: string }).attachmentId)),
  );
  return [
    {
      sid: "TopologyTransitGatewayRoutes",
      actions: [action],
      resources: [...inRegions(context, "transit-gateway-route-table"), ...inRegions(context, "transit-gateway-attachment")],
      condition: topologyTagged(context),
    },
    ...(existing.length ? [{ sid: "ExistingAttachmentRoutes", actions: [action], resources: existing }] : []),
  ];
};

/** Instance changes: only instances tagged with the topology. */
const topologyInstances: Scoper = (action, context) => [
  { sid: "TopologyInstances", actions: [action], resources: inRegions(context, "instance"), condition: topologyTagged(context) },
];

const createImage: Scoper = (action, context) => [
  { sid: "ImageTopologyInstances", actions: [action], resources: inRegions(context, "instance"), condition: topologyTagged(context) },
  {
    sid: "NewSourceImages",
    actions: [action],
    resources: [...inRegions(context, "image"), ...inRegions(context, "snapshot")],
    condition: { StringEquals: { [`aws:RequestTag/${IMAGE_ROLE_TAG}`]: "source" } },
  },
];

const copyImage: Scoper = (action, context) => [
  { sid: "NewCopies", actions: [action], resources: inRegions(context, "image"), condition: { StringEquals: { [`aws:RequestTag/${IMAGE_ROLE_TAG}`]: "copy" } } },
];

const regionpairImages: Scoper = (action, context) => [
  {
    sid: "RegionpairImages",
    actions: [action],
    resources: [...inRegions(context, action === "ec2:DeleteSnapshot" ? "snapshot" : "image")],
    condition: { StringEquals: { [`aws:ResourceTag/${IMAGE_ROLE_TAG}`]: ["source", "copy"] } },
  },
];

/** Tags only as part of the create calls the role makes (EC2 authorizes ec2:CreateTags for TagSpecifications). */
const tagOnCreate = (createActions: readonly string[]): Scoper => (action, context) => [
  { sid: "TagOnCreate", actions: [action], resources: ["*"], condition: { StringEquals: { "ec2:CreateAction": [...createActions], "aws:RequestedRegion": [...context.regions] } } },
];

/** What a drill launched or left detached (cleanup removes it): only resources carrying the drill tag. */
const drillResources = (type: string, sid: string): Scoper => (action, context) => [
  { sid, actions: [action], resources: inRegions(context, type), condition: { Null: { [`aws:ResourceTag/${DRILL_TAG}`]: "false" } } },
];

const runInstances: Scoper = (action, context) => [
  { sid: "LaunchFromCopies", actions: [action], resources: inRegions(context, "image"), condition: { StringEquals: { [`aws:ResourceTag/${IMAGE_ROLE_TAG}`]: "copy" } } },
  { sid: "LaunchIntoTopologySubnets", actions: [action], resources: inRegions(context, "subnet"), condition: topologyTagged(context) },
  {
    sid: "LaunchedResources",
    actions: [action],
    resources: ["instance", "network-interface", "volume", "security-group"].flatMap((type) => inRegions(context, type)),
  },
];



const sendCommand: Scoper = (action, context) => [
  {
    sid: "PostRestoreDocuments",
    actions: [action],
    resources: [
      ...context.regions.map((region) => `arn:${partition(context)}:ssm:${region}:${context.account}:document/${context.topology.name}-*`),
      ...inRegions(context, "instance"),
    ],
  },
];

const passRole: Scoper = (action, context) => [
  {
    sid: "PassInstanceProfileRoles",
    actions: [action],
    resources: [`arn:${partition(context)}:iam::${context.account}:role/*`],
    condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
  },
];

const kmsKeys: Scoper = (action, context) => [
  {
    sid: action === "kms:CreateGrant" ? "CopyKeyGrants" : "CopyKeys",
    actions: [action],
    resources: [...context.kmsKeyArns],
    ...(action === "kms:CreateGrant" ? { condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } } : {}),
  },
];

const transitGatewayServiceLinkedRole: Scoper = (action, context) => [
  {
    sid: "TransitGatewayServiceLinkedRole",
    actions: [action],
    resources: [`arn:${partition(context)}:iam::${context.account}:role/aws-service-role/transitgateway.amazonaws.com/*`],
    condition: { StringEquals: { "iam:AWSServiceName": "transitgateway.amazonaws.com" } },
  },
];

/** The workload VPC's move between the directory's and the fenced option sets: both sets and the VPC carry the topology tag. */
const topologyDhcpAssociation: Scoper = (action, context) => [
  { sid: "TopologyDhcpAssociation", actions: [action], resources: [...inRegions(context, "vpc"), ...inRegions(context, "dhcp-options")], condition: topologyTagged(context) },
];

/** The iam stack's reads: its roles (named `<topology>-<role>`) and GitHub's OIDC provider. */
const topologyRoles: Scoper = (action, context) => [
  { sid: "TopologyRoles", actions: [action], resources: [`arn:${partition(context)}:iam::${context.account}:role/${context.topology.name}-*`] },
];
const githubOidcProvider: Scoper = (action, context) => [
  { sid: "GitHubOidcProvider", actions: [action], resources: [`arn:${partition(context)}:iam::${context.account}:oidc-provider/${GITHUB_OIDC_HOST}`] },
];

const SCOPES: Readonly<Record<string, Scoper>> = {
  "ec2:CreateTransitGatewayRoute": transitGatewayRoutes,
  "ec2:DeleteTransitGatewayRoute": transitGatewayRoutes,
  "ec2:ReplaceTransitGatewayRoute": transitGatewayRoutes,
  "ec2:StopInstances": topologyInstances,
  "ec2:StartInstances": topologyInstances,
  "ec2:ModifyInstanceAttribute": topologyInstances,
  "ec2:CreateImage": createImage,
  "ec2:CopyImage": copyImage,
  "ec2:DeregisterImage": regionpairImages,
  "ec2:DeleteSnapshot": regionpairImages,
  "ec2:RunInstances": runInstances,
  "ec2:TerminateInstances": drillResources("instance", "DrillInstances"),
  "ssm:SendCommand": sendCommand,
  "iam:PassRole": passRole,
  "iam:CreateServiceLinkedRole": transitGatewayServiceLinkedRole,
  "iam:GetRole": topologyRoles,
  "iam:ListRolePolicies": topologyRoles,
  "iam:GetRolePolicy": topologyRoles,
  "iam:ListAttachedRolePolicies": topologyRoles,
  "iam:GetOpenIDConnectProvider": githubOidcProvider,
  "kms:DescribeKey": kmsKeys,
  "kms:CreateGrant": kmsKeys,
  "kms:GenerateDataKeyWithoutPlaintext": kmsKeys,
  "kms:ReEncryptFrom": kmsKeys,
  "kms:ReEncryptTo": kmsKeys,
  "kms:Decrypt": kmsKeys,
};

/**
 * Scopes that hold for one role only. The failover role associates option sets of the topology;
 * the deploy role's terraform destroy also associates `default` (no option set, nothing tagged).
 */
const ROLE_SCOPES: Readonly<Record<string, Readonly<Record<string, Scoper>>>> = {
  failover: { "ec2:AssociateDhcpOptions": topologyDhcpAssociation },
  restore: { "ec2:DeleteVolume": drillResources("volume", "DrillLeftovers"), "ec2:DeleteNetworkInterface": drillResources("network-interface", "DrillLeftovers") },
};

/** Roles whose ec2:CreateTags is only ever part of a create call, and which create calls. */
const TAG_ON_CREATE: Readonly<Record<string, readonly string[]>> = {
  "ami-copy": ["CreateImage", "CopyImage"],
  restore: ["RunInstances"],
};

/** The grants that allow `action` for `role`, as narrow as AWS allows. */
export function grantsFor(action: IamAction, context: ScopeContext, role: string): Grant[] {
  if (action === "ec2:CreateTags" && TAG_ON_CREATE[role]) return tagOnCreate(TAG_ON_CREATE[role])(action, context, role);
  const scoper = ROLE_SCOPES[role]?.[action] ?? SCOPES[action];
  if (scoper) return scoper(action, context, role);
  if (GLOBAL_SERVICES.has(serviceOf(action))) return [{ sid: "AccountCalls", actions: [action], resources: ["*"] }];
  return [{ sid: "RegionalCalls", actions: [action], resources: ["*"], condition: { StringEquals: { "aws:RequestedRegion": [...context.regions] } } }];
}

/**
 * How far the action is narrowed (shown in docs/permissions.md): `scoped` to resources, to the
 * role's `regions`, or `account`-wide (a global service's call on "*").
 */
export function scopeOf(action: IamAction, role: string): "scoped" | "regions" | "account" {
  if (ROLE_SCOPES[role]?.[action] ?? SCOPES[action]) return "scoped";
  if (action === "ec2:CreateTags" && TAG_ON_CREATE[role]) return "scoped";
  return GLOBAL_SERVICES.has(serviceOf(action)) ? "account" : "regions";
}
