import type * as Ec2 from "@aws-sdk/client-ec2";
import { RegionRole } from "../../../../config/topology-model";
import { RegionAnswers, labelsFromAnswers, regionFromAnswers } from "../../../../scripts/reach/network-from-ec2";
import { NetworkModel, ReadRegion } from "../../../../scripts/reach/network-model";
import { reachReport } from "../../../../scripts/reach/reach-report";
import { buildReachSpec } from "../../../../scripts/reach/reach-spec";
import { topologyWith } from "../../../support/topologies";
import { PEERING_ID, deployedPairAnswers, ids } from "./ec2-answers";

const topology = topologyWith();
const regionOf = (role: RegionRole) => topology[role].region;

const EMPTY: RegionAnswers = {
  vpcs: [],
  subnets: [],
  routeTables: [],
  transitGateways: [],
  attachments: [],
  vpcAttachments: [],
  peeringAttachments: [],
  transitGatewayRouteTables: [],
  transitGatewayRoutes: {},
  vpnConnections: [],
};

function modelOf(answers: Record<RegionRole, RegionAnswers>): NetworkModel {
  return { regions: (["primary", "secondary"] as const).map((role) => regionFromAnswers(regionOf(role), answers[role])) };
}

function reportOf(answers: Record<RegionRole, RegionAnswers>, activeRegion?: string) {
  const labels = new Map((["primary", "secondary"] as const).map((role) => [regionOf(role), labelsFromAnswers(topology, role, answers[role])]));
  return reachReport(modelOf(answers), buildReachSpec(topology, labels, activeRegion));
}

describe("regionFromAnswers: VPCs, subnets and route tables", () => {
  test("GIVEN a VPC with an associated, a disassociated and a pending block WHEN translated THEN only the associated block routes", () => {
    const vpc: Ec2.Vpc = {
      VpcId: "vpc-1",
      CidrBlock: "10.0.0.0/16",
      CidrBlockAssociationSet: [
        { CidrBlock: "10.0.0.0/16", CidrBlockState: { State: "associated" } },
        { CidrBlock: "10.1.0.0/16", CidrBlockState: { State: "disassociated" } },
        { CidrBlock: "10.2.0.0/16", CidrBlockState: { State: "associating" } },
      ],
    };

    expect(regionFromAnswers("r", { ...EMPTY, vpcs: [vpc] }).vpcs).toEqual([{ vpcId: "vpc-1", cidrBlocks: ["10.0.0.0/16"] }]);
  });

  test("GIVEN a route table with a main and a disassociated subnet association WHEN translated THEN it is main and holds no subnet", () => {
    const table: Ec2.RouteTable = {
      RouteTableId: "rtb-1",
      VpcId: "vpc-1",
      Associations: [
        { Main: true, AssociationState: { State: "associated" } },
        { Main: false, SubnetId: "subnet-gone", AssociationState: { State: "disassociated" } },
        { Main: false, SubnetId: "subnet-here", AssociationState: { State: "associated" } },
      ],
      Routes: [],
    };

    const [translated] = regionFromAnswers("r", { ...EMPTY, vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }], routeTables: [table] }).routeTables;

    expect(translated).toMatchObject({ routeTableId: "rtb-1", main: true, subnetIds: ["subnet-here"] });
  });

  test("GIVEN routes to local, a transit gateway, an internet gateway, IPv6 and a prefix list WHEN translated THEN the IPv4 ones keep their target and state", () => {
    const table: Ec2.RouteTable = {
      RouteTableId: "rtb-1",
      VpcId: "vpc-1",
      Associations: [{ Main: true }],
      Routes: [
        { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active" },
        { DestinationCidrBlock: "10.9.0.0/16", TransitGatewayId: "tgw-1", State: "active" },
        { DestinationCidrBlock: "0.0.0.0/0", GatewayId: "igw-1", State: "active" },
        { DestinationCidrBlock: "10.8.0.0/16", NetworkInterfaceId: "eni-gone", State: "blackhole" },
        { DestinationIpv6CidrBlock: "::/0", GatewayId: "igw-1", State: "active" },
        { DestinationPrefixListId: "pl-1", GatewayId: "vpce-1", State: "active" },
      ],
    };

    const [translated] = regionFromAnswers("r", { ...EMPTY, vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }], routeTables: [table] }).routeTables;

    expect(translated.routes).toEqual([
      { destinationCidr: "10.0.0.0/16", target: { kind: "local" }, state: "active" },
      { destinationCidr: "10.9.0.0/16", target: { kind: "transit-gateway", transitGatewayId: "tgw-1" }, state: "active" },
      { destinationCidr: "0.0.0.0/0", target: { kind: "other", id: "igw-1" }, state: "active" },
      { destinationCidr: "10.8.0.0/16", target: { kind: "other", id: "eni-gone" }, state: "blackhole" },
    ]);
  });

  test("GIVEN subnets and route tables of a VPC outside the topology WHEN translated THEN they are left out", () => {
    const region = regionFromAnswers("r", {
      ...EMPTY,
      vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
      subnets: [
        { SubnetId: "subnet-1", VpcId: "vpc-1", CidrBlock: "10.0.0.0/24", AvailabilityZone: "r-a" },
        { SubnetId: "subnet-other", VpcId: "vpc-other", CidrBlock: "10.0.1.0/24", AvailabilityZone: "r-a" },
      ],
      routeTables: [{ RouteTableId: "rtb-other", VpcId: "vpc-other", Associations: [{ Main: true }], Routes: [] }],
    });

    expect([region.subnets.map((s) => s.subnetId), region.routeTables]).toEqual([["subnet-1"], []]);
  });
});

describe("regionFromAnswers: transit gateways", () => {
  const tgwAnswers = (routes: Ec2.TransitGatewayRoute[], attachments: Ec2.TransitGatewayAttachment[] = []): RegionAnswers => ({
    ...EMPTY,
    transitGateways: [{ TransitGatewayId: "tgw-1", State: "available" }],
    attachments,
    transitGatewayRouteTables: [
      { TransitGatewayRouteTableId: "tgw-rtb-1", TransitGatewayId: "tgw-1", State: "available" },
      { TransitGatewayRouteTableId: "tgw-rtb-old", TransitGatewayId: "tgw-1", State: "deleted" },
    ],
    transitGatewayRoutes: { "tgw-rtb-1": routes },
  });
  const onlyTable = (region: ReadRegion) => region.transitGateways[0].routeTables;

  test("GIVEN a static route, a blackhole created on purpose and a route whose attachment was deleted WHEN translated THEN the blackhole made on purpose has no attachment and the one a deletion left keeps its id", () => {
    const routes: Ec2.TransitGatewayRoute[] = [
      { DestinationCidrBlock: "10.1.0.0/16", Type: "static", State: "active", TransitGatewayAttachments: [{ TransitGatewayAttachmentId: "tgw-attach-vpc", ResourceType: "vpc", ResourceId: "vpc-1" }] },
      { DestinationCidrBlock: "10.2.0.0/16", Type: "static", State: "blackhole" },
      { DestinationCidrBlock: "10.3.0.0/16", Type: "static", State: "blackhole", TransitGatewayAttachments: [{ TransitGatewayAttachmentId: "tgw-attach-gone", ResourceType: "vpc", ResourceId: "vpc-2" }] },
      { DestinationCidrBlock: "172.16.0.0/12", Type: "propagated", State: "active", TransitGatewayAttachments: [{ TransitGatewayAttachmentId: "tgw-attach-vpn", ResourceType: "vpn", ResourceId: "vpn-1" }] },
    ];

    expect(onlyTable(regionFromAnswers("r", tgwAnswers(routes)))).toEqual([
      {
        routeTableId: "tgw-rtb-1",
        routes: [
          { destinationCidr: "10.1.0.0/16", type: "static", state: "active", attachmentId: "tgw-attach-vpc" },
          { destinationCidr: "10.2.0.0/16", type: "static", state: "blackhole" },
          { destinationCidr: "10.3.0.0/16", type: "static", state: "blackhole", attachmentId: "tgw-attach-gone" },
          { destinationCidr: "172.16.0.0/12", type: "propagated", state: "active", attachmentId: "tgw-attach-vpn" },
        ],
      },
    ]);
  });

  test("GIVEN routes being deleted and a prefix-list route WHEN translated THEN they are left out", () => {
    const routes: Ec2.TransitGatewayRoute[] = [
      { DestinationCidrBlock: "10.1.0.0/16", Type: "static", State: "deleting" },
      { DestinationCidrBlock: "10.2.0.0/16", Type: "static", State: "pending" },
      { PrefixListId: "pl-1", Type: "static", State: "active" },
    ];

    expect(onlyTable(regionFromAnswers("r", tgwAnswers(routes)))[0].routes).toEqual([]);
  });

  test("GIVEN attachments associated, disassociating, deleted and of a Direct Connect gateway WHEN translated THEN the deleted one is gone and only a live association counts", () => {
    const attachments: Ec2.TransitGatewayAttachment[] = [
      { TransitGatewayAttachmentId: "a-assoc", TransitGatewayId: "tgw-1", ResourceType: "vpc", ResourceId: "vpc-1", State: "available", Association: { TransitGatewayRouteTableId: "tgw-rtb-1", State: "associated" } },
      { TransitGatewayAttachmentId: "a-leaving", TransitGatewayId: "tgw-1", ResourceType: "vpc", ResourceId: "vpc-2", State: "available", Association: { TransitGatewayRouteTableId: "tgw-rtb-1", State: "disassociating" } },
      { TransitGatewayAttachmentId: "a-deleted", TransitGatewayId: "tgw-1", ResourceType: "peering", ResourceId: "tgw-9", State: "deleted" },
      { TransitGatewayAttachmentId: "a-dx", TransitGatewayId: "tgw-1", ResourceType: "direct-connect-gateway", ResourceId: "dxgw-1", State: "available", Association: { TransitGatewayRouteTableId: "tgw-rtb-1", State: "associated" } },
    ];

    const translated = regionFromAnswers("r", { ...tgwAnswers([], attachments), vpcAttachments: [{ TransitGatewayAttachmentId: "a-assoc", SubnetIds: ["subnet-a", "subnet-b"] }] });

    expect(translated.transitGateways[0].attachments).toEqual([
      { type: "vpc", attachmentId: "a-assoc", resourceId: "vpc-1", state: "available", associatedRouteTableId: "tgw-rtb-1", subnetIds: ["subnet-a", "subnet-b"] },
      { type: "vpc", attachmentId: "a-leaving", resourceId: "vpc-2", state: "available", subnetIds: [] },
      { type: "direct-connect-gateway", attachmentId: "a-dx", resourceId: "dxgw-1", state: "available", associatedRouteTableId: "tgw-rtb-1" },
    ]);
  });

  test.each([
    ["requested from this side", { TransitGatewayId: "tgw-1", Region: "r" }, { TransitGatewayId: "tgw-9", Region: "peer-region" }],
    ["accepted on this side", { TransitGatewayId: "tgw-9", Region: "peer-region" }, { TransitGatewayId: "tgw-1", Region: "r" }],
  ])("GIVEN a peering %s WHEN translated THEN its peer is the other side", (_label, requester, accepter) => {
    const answers: RegionAnswers = {
      ...tgwAnswers([], [{ TransitGatewayAttachmentId: "a-peer", TransitGatewayId: "tgw-1", ResourceType: "peering", ResourceId: "tgw-9", State: "available" }]),
      peeringAttachments: [{ TransitGatewayAttachmentId: "a-peer", RequesterTgwInfo: requester, AccepterTgwInfo: accepter, State: "available" }],
    };

    expect(regionFromAnswers("r", answers).transitGateways[0].attachments[0]).toMatchObject({ type: "peering", peerRegion: "peer-region", peerTransitGatewayId: "tgw-9" });
  });

  test("GIVEN a VPN connection with both tunnels DOWN, and one with no telemetry WHEN translated THEN the first carries its statuses and the second none", () => {
    const answers: RegionAnswers = {
      ...tgwAnswers([], [
        { TransitGatewayAttachmentId: "a-down", TransitGatewayId: "tgw-1", ResourceType: "vpn", ResourceId: "vpn-down", State: "available" },
        { TransitGatewayAttachmentId: "a-quiet", TransitGatewayId: "tgw-1", ResourceType: "vpn", ResourceId: "vpn-quiet", State: "available" },
      ]),
      vpnConnections: [
        { VpnConnectionId: "vpn-down", VgwTelemetry: [{ Status: "DOWN" }, { Status: "DOWN" }] },
        { VpnConnectionId: "vpn-quiet" },
      ],
    };

    const [down, quiet] = regionFromAnswers("r", answers).transitGateways[0].attachments;

    expect([down, quiet]).toEqual([
      { type: "vpn", attachmentId: "a-down", resourceId: "vpn-down", state: "available", tunnelStatuses: ["DOWN", "DOWN"] },
      { type: "vpn", attachmentId: "a-quiet", resourceId: "vpn-quiet", state: "available" },
    ]);
  });

  test("GIVEN a transit gateway being deleted WHEN translated THEN it is left out", () => {
    expect(regionFromAnswers("r", { ...EMPTY, transitGateways: [{ TransitGatewayId: "tgw-1", State: "deleting" }] }).transitGateways).toEqual([]);
  });
});

describe("labelsFromAnswers", () => {
  test("GIVEN a deployed region WHEN labelled THEN its VPCs, transit gateway and VPN attachment are found by their tags", () => {
    const answers = deployedPairAnswers(topology).primary;

    expect(labelsFromAnswers(topology, "primary", answers)).toEqual({
      region: regionOf("primary"),
      role: "primary",
      managementVpcId: ids.managementVpc("primary"),
      workloadVpcId: ids.workloadVpc("primary"),
      transitGatewayId: ids.transitGateway("primary"),
      vpnAttachments: { office: ids.vpnAttachment("primary", "office") },
    });
  });

  test("GIVEN the tagged VPN attachment was deleted and another took its tags but not its connection tag WHEN labelled THEN no attachment is found for the connection", () => {
    const answers = deployedPairAnswers(topology).primary;
    const vpn = answers.attachments.find((a) => a.ResourceType === "vpn")!;
    const edited: RegionAnswers = {
      ...answers,
      attachments: [
        ...answers.attachments.filter((a) => a !== vpn),
        { ...vpn, State: "deleted" },
        { ...vpn, TransitGatewayAttachmentId: "tgw-attach-impostor", Tags: vpn.Tags!.filter((t) => t.Key === "Name") },
      ],
    };

    expect(labelsFromAnswers(topology, "primary", edited).vpnAttachments).toEqual({});
  });
});

describe("the answers of a deployed pair, translated and traced", () => {
  test("GIVEN the primary active WHEN traced THEN every client reaches the primary copy, the secondary copy is fenced and nothing fails", () => {
    const report = reportOf(deployedPairAnswers(topology, "primary"));

    expect(report.activeRegion).toBe(regionOf("primary"));
    expect(report.rows.filter((r) => r.kind === "client-to-workload").map((r) => [r.client, r.destination, r.verdict, r.region])).toEqual(
      ["app", "db"].flatMap((workload) =>
        ["management@eu-west-1", "office@eu-west-1", "management@eu-central-1", "office@eu-central-1"].map((client) => [client, workload, "delivered", regionOf("primary")]),
      ),
    );
    expect(report.rows.filter((r) => r.kind === "passive-to-client").every((r) => r.verdict === "fenced" && r.copyRegion === regionOf("secondary"))).toBe(true);
    expect(report.problems.filter((p) => p.severity === "failure")).toEqual([]);
  });

  test("GIVEN the secondary active WHEN traced THEN every client reaches the secondary copy and the primary copy is fenced", () => {
    const report = reportOf(deployedPairAnswers(topology, "secondary"));

    expect(report.activeRegion).toBe(regionOf("secondary"));
    expect(report.rows.filter((r) => r.kind === "client-to-workload").every((r) => r.verdict === "delivered" && r.region === regionOf("secondary"))).toBe(true);
    expect(report.rows.filter((r) => r.kind === "passive-to-client").every((r) => r.verdict === "fenced" && r.copyRegion === regionOf("primary"))).toBe(true);
    expect(report.exitCode).toBe(0);
  });

  test("GIVEN the passive workload table routes the local management CIDR to the management VPC WHEN traced THEN the passive copy reaches that region's management VPC and the exit code is 1", () => {
    const answers = deployedPairAnswers(topology, "primary");
    const table = ids.transitGatewayRouteTable("secondary", "workload");
    const opened: RegionAnswers = {
      ...answers.secondary,
      transitGatewayRoutes: {
        ...answers.secondary.transitGatewayRoutes,
        [table]: answers.secondary.transitGatewayRoutes[table].map((route) =>
          route.DestinationCidrBlock === topology.secondary.managementCidr
            ? { ...route, State: "active", TransitGatewayAttachments: [{ TransitGatewayAttachmentId: ids.managementAttachment("secondary"), ResourceType: "vpc" }] }
            : route,
        ),
      },
    };

    const report = reportOf({ primary: answers.primary, secondary: opened });

    const reachable = report.rows.filter((r) => r.kind === "passive-to-client" && r.verdict === "delivered");
    expect(reachable.map((r) => [r.client, r.destination, r.region])).toEqual([
      ["management@eu-central-1", "app", regionOf("secondary")],
      ["management@eu-central-1", "db", regionOf("secondary")],
    ]);
    expect(report.exitCode).toBe(1);
  });

  test("GIVEN the peering attachment's id in the answers WHEN traced THEN the peering row names it", () => {
    const report = reportOf(deployedPairAnswers(topology, "primary"));

    expect([...new Set(report.rows.filter((r) => r.kind === "peering-to-passive").map((r) => r.client))]).toEqual([PEERING_ID]);
  });
});
