/**
 * AWS: the Site-to-Site VPN write calls with DryRun=true are authorized but not performed:
 * DryRunOperation (HTTP 412), and no customer gateway, VPN connection or transit gateway
 * attachment is created or deleted. (EC2 API Reference: CreateCustomerGateway,
 * DeleteCustomerGateway, CreateVpnConnection, DeleteVpnConnection, DryRun parameter.)
 */
import {
  CreateCustomerGatewayCommand,
  CreateVpnConnectionCommand,
  DeleteCustomerGatewayCommand,
  DeleteVpnConnectionCommand,
  DescribeCustomerGatewaysCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { createCustomerGateway, createTransitGateway, createVpnConnection } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "ca-central-1";
const DRY_RUN = { name: "DryRunOperation", $metadata: { httpStatusCode: 412 } };

describe("DryRun on the Site-to-Site VPN calls", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let transitGatewayId: string;
  let customerGatewayId: string;
  let vpnConnectionId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    transitGatewayId = (await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" })).TransitGatewayId!;
    customerGatewayId = (await createCustomerGateway(ec2)).CustomerGatewayId!;
    vpnConnectionId = (await createVpnConnection(ec2, { customerGatewayId, transitGatewayId, staticRoutesOnly: true })).connection.VpnConnectionId!;
  });

  /** What exists, by id and state: the thing a dry run must not change. */
  const inventory = async () => ({
    customerGateways: ((await ec2.send(new DescribeCustomerGatewaysCommand({}))).CustomerGateways ?? []).map((g) => `${g.CustomerGatewayId}:${g.State}`),
    vpnConnections: ((await ec2.send(new DescribeVpnConnectionsCommand({}))).VpnConnections ?? []).map((c) => `${c.VpnConnectionId}:${c.State}`),
    attachments: ((await ec2.send(new DescribeTransitGatewayAttachmentsCommand({}))).TransitGatewayAttachments ?? []).map((a) => `${a.TransitGatewayAttachmentId}:${a.State}`),
  });

  it("GIVEN one customer gateway WHEN another is created with DryRun THEN AWS answers DryRunOperation and there is still one", async () => {
    const before = await inventory();

    await expect(ec2.send(new CreateCustomerGatewayCommand({ DryRun: true, BgpAsn: 65020, IpAddress: "203.0.113.20", Type: "ipsec.1" }))).rejects.toMatchObject(DRY_RUN);

    expect(await inventory()).toEqual(before);
    expect(before.customerGateways).toHaveLength(1);
  });

  it("GIVEN one VPN connection WHEN another is created with DryRun THEN AWS answers DryRunOperation and no connection or attachment is added", async () => {
    const before = await inventory();

    await expect(
      ec2.send(new CreateVpnConnectionCommand({ DryRun: true, CustomerGatewayId: customerGatewayId, TransitGatewayId: transitGatewayId, Type: "ipsec.1" })),
    ).rejects.toMatchObject(DRY_RUN);

    expect(await inventory()).toEqual(before);
    expect(before.vpnConnections).toHaveLength(1);
    expect(before.attachments).toHaveLength(1);
  });

  it("GIVEN a VPN connection and its customer gateway WHEN they are deleted with DryRun THEN AWS answers DryRunOperation and both stay available", async () => {
    const before = await inventory();

    await expect(ec2.send(new DeleteVpnConnectionCommand({ DryRun: true, VpnConnectionId: vpnConnectionId }))).rejects.toMatchObject(DRY_RUN);
    await expect(ec2.send(new DeleteCustomerGatewayCommand({ DryRun: true, CustomerGatewayId: customerGatewayId }))).rejects.toMatchObject(DRY_RUN);

    expect(await inventory()).toEqual(before);
    expect(before.vpnConnections).toEqual([`${vpnConnectionId}:available`]);
  });
});
