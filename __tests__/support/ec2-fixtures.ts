/** Instances and AMIs for tests against the emulator, made with plain EC2 calls. */
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  Instance,
  RegisterImageCommand,
  RunInstancesCommand,
  Tag,
} from "@aws-sdk/client-ec2";

let imageCounter = 0;

/** A registered AMI whose enaSupport is as given (AMI names must be unique). */
export async function registerAmi(ec2: EC2Client, enaSupport: boolean): Promise<string> {
  imageCounter += 1;
  const output = await ec2.send(new RegisterImageCommand({ Name: `fixture-ami-${process.pid}-${imageCounter}`, EnaSupport: enaSupport, RootDeviceName: "/dev/xvda" }));
  return output.ImageId!;
}

export interface Network {
  readonly vpcId: string;
  readonly subnetId: string;
}

/**
 * A VPC and a subnet in the Region's first zone: the emulator otherwise picks a zone at random,
 * and not every instance type is offered in every zone (e.g. no m5 in us-east-1e).
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

/** Moto's catalogue AMI of Windows Server 2016 (platform windows, no ENA data). */
export const WINDOWS_CATALOG_AMI = "ami-03cf127a";
