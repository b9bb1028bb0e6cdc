/**
 * What `ena enable` reads before deciding anything: the instance (state, type, ENA support,
 * architecture, zone) and the target instance type (does it exist, is it offered in the
 * instance's zone, does it require ENA, does it present EBS volumes as NVMe).
 */
import {
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { awsErrorCode, toExternalError, withAwsErrors } from "../lib/aws-errors";
import { UsageError } from "../lib/cli";
import { instancePlatform } from "../lib/instance-platform";

export interface InstanceFacts {
  readonly instanceId: string;
  readonly name?: string;
  readonly state: string;
  readonly instanceType: string;
  readonly enaSupport: boolean;
  readonly architecture?: string;
  readonly availabilityZone?: string;
  readonly platform: string;
}

/** DescribeInstanceTypes NetworkInfo.EnaSupport and EbsInfo.NvmeSupport. */
export type SupportLevel = "required" | "supported" | "unsupported";

export interface InstanceTypeFacts {
  readonly instanceType: string;
  readonly enaSupport: SupportLevel;
  readonly nvmeSupport: SupportLevel;
  readonly architectures: readonly string[];
}

export async function readInstance(client: EC2Client, region: string, instanceId: string): Promise<InstanceFacts> {
  const output = await withAwsErrors({ operation: "DescribeInstances", region }, () =>
    client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
  );
  const instance = output.Reservations?.[0]?.Instances?.[0];
  if (!instance?.InstanceId || !instance.InstanceType) {
    throw new UsageError(`--instance-id ${instanceId} is not an instance in ${region}`);
  }
  return {
    instanceId: instance.InstanceId,
    name: instance.Tags?.find((tag) => tag.Key === "Name")?.Value,
    state: instance.State?.Name ?? "unknown",
    instanceType: instance.InstanceType,
    enaSupport: instance.EnaSupport === true,
    architecture: instance.Architecture,
    availabilityZone: instance.Placement?.AvailabilityZone,
    platform: instancePlatform(instance),
  };
}

function supportLevel(value: string | undefined): SupportLevel {
  return value === "required" || value === "supported" ? value : "unsupported";
}

/** Facts about `instanceType`; a type that does not exist, or is not offered in the zone, is a usage error. */
export async function describeInstanceType(
  client: EC2Client,
  region: string,
  instanceType: string,
  availabilityZone: string | undefined,
): Promise<InstanceTypeFacts> {
  let info;
  try {
    const output = await client.send(new DescribeInstanceTypesCommand({ InstanceTypes: [instanceType as never] }));
    info = output.InstanceTypes?.[0];
  } catch (error) {
    if (awsErrorCode(error) === "InvalidInstanceType") {
      throw new UsageError(`--type '${instanceType}' is not an instance type in ${region} (for example m5.xlarge)`);
    }
    throw toExternalError(error, { operation: "DescribeInstanceTypes", region });
  }
  if (!info) throw new UsageError(`--type '${instanceType}' is not an instance type in ${region} (for example m5.xlarge)`);
  if (availabilityZone) {
    const offerings = await withAwsErrors({ operation: "DescribeInstanceTypeOfferings", region }, () =>
      client.send(
        new DescribeInstanceTypeOfferingsCommand({
          LocationType: "availability-zone",
          Filters: [
            { Name: "location", Values: [availabilityZone] },
            { Name: "instance-type", Values: [instanceType] },
          ],
        }),
      ),
    );
    if ((offerings.InstanceTypeOfferings ?? []).length === 0) {
      throw new UsageError(`--type '${instanceType}' is not offered in ${availabilityZone}, the instance's zone; choose a type offered there`);
    }
  }
  return {
    instanceType,
    enaSupport: supportLevel(info.NetworkInfo?.EnaSupport),
    nvmeSupport: supportLevel(info.EbsInfo?.NvmeSupport),
    architectures: info.ProcessorInfo?.SupportedArchitectures ?? [],
  };
}
