/**
 * EC2 resources for tests against the emulator, made with plain EC2 calls: AMIs, instances,
 * networks, transit gateways, DHCP option sets and Site-to-Site VPN connections. Builders only create and return typed ids or
 * the create answer; they assert nothing, so every expectation stays in the test.
 */
import {
  CreateCustomerGatewayCommand,
  CreateDhcpOptionsCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateTransitGatewayVpcAttachmentRequestOptions,
  CreateVpcCommand,
  CreateVpnConnectionCommand,
  CustomerGateway,
  DescribeTransitGatewayAttachmentsCommand,
  DhcpOptions,
  EC2Client,
  Instance,
  RegisterImageCommand,
  RunInstancesCommand,
  Tag,
  TransitGateway,
  VpnConnection,
} from "@aws-sdk/client-ec2";

let imageCounter = 0;

/**
 * A registered AMI whose enaSupport is as given (AMI names must be unique), tagged with `tags`
 * by a CreateTags call after it is registered.
 */
export async function registerAmi(ec2: EC2Client, enaSupport: boolean, tags: readonly Tag[] = []): Promise<string> {
  imageCounter += 1;
  const output = await ec2.send(new RegisterImageCommand({ Name: `fixture-ami-${process.pid}-${imageCounter}`, EnaSupport: enaSupport, RootDeviceName: "/dev/xvda" }));
  const imageId = output.ImageId!;
  if (tags.length > 0) await ec2.send(new CreateTagsCommand({ Resources: [imageId], Tags: [...tags] }));
  return imageId;
}

export interface Network {
  readonly vpcId: string;
  readonly subnetId: string;
}

/**
 * A VPC and a subnet in the Region's first zone: the emulator otherwise picks a zone at random,
 * and not every instance type is offered in every zone (e.g. no m5 in us-east-1e).
 * `subnetCidr` must lie within `cidr`.
 */
export async function createNetwork(ec2: EC2Client, cidr = "10.20.0.0/16", subnetCidr = "10.20.1.0/24"): Promise<Network> {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const zone = `${await ec2.config.region()}a`;
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: subnetCidr, AvailabilityZone: zone }));
  return { vpcId: vpc.Vpc!.VpcId!, subnetId: subnet.Subnet!.SubnetId! };
}

export interface LaunchOptions {
  readonly imageId: string;
  readonly subnetId: string;
  readonly instanceType: string;
  readonly count?: number;
  readonly tags?: readonly Tag[];
  readonly securityGroupIds?: readonly string[];
}

export async function launchInstances(ec2: EC2Client, options: LaunchOptions): Promise<Instance[]> {
  const output = await ec2.send(
    new RunInstancesCommand({
      ImageId: options.imageId,
      InstanceType: options.instanceType as never,
      SubnetId: options.subnetId,
      SecurityGroupIds: options.securityGroupIds ? [...options.securityGroupIds] : undefined,
      MinCount: options.count ?? 1,
      MaxCount: options.count ?? 1,
      TagSpecifications: options.tags?.length ? [{ ResourceType: "instance", Tags: [...options.tags] }] : undefined,
    }),
  );
  return output.Instances ?? [];
}

export interface InstanceOptions {
  /**
   * The instance type.
   * @default "m4.large" (a type that does not use ENA, so it runs from any AMI)
   */
  readonly instanceType?: string;
  /**
   * enaSupport of the AMI registered for the instance, which the instance takes over.
   * @default false
   */
  readonly amiEnaSupport?: boolean;
}

export interface InstanceFixture {
  readonly network: Network;
  /** The AMI the instance was launched from. */
  readonly imageId: string;
  /** The instance as RunInstances answered it. */
  readonly instance: Instance;
}

/** One running instance, launched from a newly registered AMI into a new network (`createNetwork` defaults). */
export async function createInstance(ec2: EC2Client, options: InstanceOptions = {}): Promise<InstanceFixture> {
  const network = await createNetwork(ec2);
  const imageId = await registerAmi(ec2, options.amiEnaSupport ?? false);
  const [instance] = await launchInstances(ec2, { imageId, subnetId: network.subnetId, instanceType: options.instanceType ?? "m4.large" });
  return { network, imageId, instance };
}

/** Moto's catalogue AMI of Windows Server 2016 (platform windows, no ENA data). */
export const WINDOWS_CATALOG_AMI = "ami-03cf127a";

/** A transit gateway option that is switched on or off. */
export type Toggle = "enable" | "disable";

export interface TransitGatewayOptions {
  /**
   * Whether new attachments are associated with the gateway's default route table.
   * @default AWS's default, "enable" (the option is not sent)
   */
  readonly defaultRouteTableAssociation?: Toggle;
  /**
   * Whether new attachments propagate their routes to the gateway's default route table.
   * @default AWS's default, "enable" (the option is not sent)
   */
  readonly defaultRouteTablePropagation?: Toggle;
}

/** A transit gateway, as CreateTransitGateway answered (its Options name any default route tables). */
export async function createTransitGateway(ec2: EC2Client, options: TransitGatewayOptions = {}): Promise<TransitGateway> {
  const { defaultRouteTableAssociation, defaultRouteTablePropagation } = options;
  const requested = defaultRouteTableAssociation !== undefined || defaultRouteTablePropagation !== undefined;
  const { TransitGateway: transitGateway } = await ec2.send(
    new CreateTransitGatewayCommand(
      requested ? { Options: { DefaultRouteTableAssociation: defaultRouteTableAssociation, DefaultRouteTablePropagation: defaultRouteTablePropagation } } : {},
    ),
  );
  return transitGateway!;
}

/** A new route table of the transit gateway; returns its id. */
export async function createTransitGatewayRouteTable(ec2: EC2Client, transitGatewayId: string): Promise<string> {
  const { TransitGatewayRouteTable } = await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: transitGatewayId }));
  return TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
}

/**
 * Attaches the network's VPC to the transit gateway through its subnet; returns the attachment id.
 * `options` are sent as they are (by default none, so AWS's defaults apply).
 */
export async function attachVpc(
  ec2: EC2Client,
  transitGatewayId: string,
  network: Network,
  options?: CreateTransitGatewayVpcAttachmentRequestOptions,
): Promise<string> {
  const { TransitGatewayVpcAttachment } = await ec2.send(
    new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: transitGatewayId, VpcId: network.vpcId, SubnetIds: [network.subnetId], Options: options }),
  );
  return TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
}

export interface HubOptions {
  /**
   * Whether new attachments are associated with the gateway's default route table.
   * @default "disable" (not AWS's "enable"): like the deployed TransitHub, a hub routes only
   * through the route tables it is given, so its attachment starts associated with no table.
   */
  readonly defaultRouteTableAssociation?: Toggle;
  /**
   * Whether new attachments propagate their routes to the gateway's default route table.
   * @default "disable" (not AWS's "enable"), for the same reason.
   */
  readonly defaultRouteTablePropagation?: Toggle;
  /**
   * CIDR block of the attached VPC.
   * @default "10.20.0.0/16" (as `createNetwork`)
   */
  readonly cidr?: string;
  /**
   * CIDR block of the VPC's one subnet; must lie within `cidr`.
   * @default "10.20.1.0/24" (as `createNetwork`)
   */
  readonly subnetCidr?: string;
  /**
   * Whether to create a route table of the gateway too (associated with nothing).
   * @default false
   */
  readonly withRouteTable?: boolean;
}

export interface Hub extends Network {
  readonly transitGatewayId: string;
  /** The VPC attachment of `vpcId` through `subnetId`. */
  readonly attachmentId: string;
}

export interface HubWithRouteTable extends Hub {
  readonly routeTableId: string;
}

/**
 * A transit gateway (default route table association and propagation "disable" unless given),
 * optionally a route table of it, and a new VPC with one subnet attached to it.
 */
export async function createHub(ec2: EC2Client, options: HubOptions & { readonly withRouteTable: true }): Promise<HubWithRouteTable>;
export async function createHub(ec2: EC2Client, options?: HubOptions): Promise<Hub>;
export async function createHub(ec2: EC2Client, options: HubOptions = {}): Promise<Hub | HubWithRouteTable> {
  const transitGateway = await createTransitGateway(ec2, {
    defaultRouteTableAssociation: options.defaultRouteTableAssociation ?? "disable",
    defaultRouteTablePropagation: options.defaultRouteTablePropagation ?? "disable",
  });
  const transitGatewayId = transitGateway.TransitGatewayId!;
  const routeTableId = options.withRouteTable ? await createTransitGatewayRouteTable(ec2, transitGatewayId) : undefined;
  const network = await createNetwork(ec2, options.cidr, options.subnetCidr);
  const attachmentId = await attachVpc(ec2, transitGatewayId, network);
  return routeTableId === undefined ? { ...network, transitGatewayId, attachmentId } : { ...network, transitGatewayId, attachmentId, routeTableId };
}

/**
 * A DHCP option set with only a domain name, as CreateDhcpOptions answered.
 * @param domainName default "corp.example.com"
 */
export async function createDhcpOptions(ec2: EC2Client, domainName = "corp.example.com"): Promise<DhcpOptions> {
  const { DhcpOptions: dhcpOptions } = await ec2.send(
    new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: "domain-name", Values: [domainName] }] }),
  );
  return dhcpOptions!;
}

export interface CustomerGatewayOptions {
  /**
   * The gateway's BGP ASN.
   * @default 65010 (a private ASN)
   */
  readonly bgpAsn?: number;
  /**
   * The gateway's public IPv4 address.
   * @default "203.0.113.10" (TEST-NET-3, documentation only)
   */
  readonly ipAddress?: string;
  /** Tags given in TagSpecifications. @default none */
  readonly tags?: readonly Tag[];
}

/** A customer gateway of type ipsec.1, as CreateCustomerGateway answered. */
export async function createCustomerGateway(ec2: EC2Client, options: CustomerGatewayOptions = {}): Promise<CustomerGateway> {
  const { CustomerGateway: customerGateway } = await ec2.send(
    new CreateCustomerGatewayCommand({
      BgpAsn: options.bgpAsn ?? 65010,
      IpAddress: options.ipAddress ?? "203.0.113.10",
      Type: "ipsec.1",
      TagSpecifications: options.tags?.length ? [{ ResourceType: "customer-gateway", Tags: [...options.tags] }] : undefined,
    }),
  );
  return customerGateway!;
}

export interface VpnConnectionOptions {
  readonly customerGatewayId: string;
  readonly transitGatewayId: string;
  /**
   * Options.StaticRoutesOnly.
   * @default not sent (AWS's default: dynamic routing with BGP)
   */
  readonly staticRoutesOnly?: boolean;
  /** Tags given in TagSpecifications. @default none */
  readonly tags?: readonly Tag[];
}

export interface TransitGatewayVpnConnection {
  /** The connection as CreateVpnConnection answered. */
  readonly connection: VpnConnection;
  /** The transit gateway attachment of type vpn that AWS created with the connection. */
  readonly attachmentId: string;
}

/**
 * A Site-to-Site VPN connection (type ipsec.1) on a transit gateway, and the id of its attachment,
 * found as the Terraform provider finds it (filters resource-id, resource-type and transit-gateway-id).
 */
export async function createVpnConnection(ec2: EC2Client, options: VpnConnectionOptions): Promise<TransitGatewayVpnConnection> {
  const { VpnConnection: connection } = await ec2.send(
    new CreateVpnConnectionCommand({
      CustomerGatewayId: options.customerGatewayId,
      TransitGatewayId: options.transitGatewayId,
      Type: "ipsec.1",
      Options: options.staticRoutesOnly === undefined ? undefined : { StaticRoutesOnly: options.staticRoutesOnly },
      TagSpecifications: options.tags?.length ? [{ ResourceType: "vpn-connection", Tags: [...options.tags] }] : undefined,
    }),
  );
  const { TransitGatewayAttachments } = await ec2.send(
    new DescribeTransitGatewayAttachmentsCommand({
      Filters: [
        { Name: "resource-id", Values: [connection!.VpnConnectionId!] },
        { Name: "resource-type", Values: ["vpn"] },
        { Name: "transit-gateway-id", Values: [options.transitGatewayId] },
      ],
    }),
  );
  return { connection: connection!, attachmentId: TransitGatewayAttachments![0].TransitGatewayAttachmentId! };
}
