import { partitionOf } from "./regions";

/**
 * Interface VPC endpoint services a topology may ask for, and why each exists. One typed list:
 * service names are never built by hand elsewhere.
 */
export const INTERFACE_ENDPOINT_SERVICES = {
  /** Systems Manager API: Session Manager, Run Command and Automation in private subnets. */
  ssm: "Systems Manager API",
  /** Session Manager data channel. */
  ssmmessages: "Session Manager channel",
  /** SSM Agent's message delivery (Run Command, Automation). */
  ec2messages: "SSM Agent messages",
  /** EC2 API from private subnets, e.g. `modify-instance-attribute --ena-support`. */
  ec2: "EC2 API",
  /** KMS, for Windows activation paths and encrypted-volume tooling that calls KMS. */
  kms: "Key Management Service",
  /** CloudWatch Logs, for the agent and Session Manager logging. */
  logs: "CloudWatch Logs",
} as const;

export type InterfaceEndpointService = keyof typeof INTERFACE_ENDPOINT_SERVICES;

export const INTERFACE_ENDPOINT_SERVICE_NAMES = Object.keys(
  INTERFACE_ENDPOINT_SERVICES,
) as InterfaceEndpointService[];

/** What SSM and ENA enablement need from a private subnet with no internet route. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly InterfaceEndpointService[] = [
  "ssm",
  "ssmmessages",
  "ec2messages",
  "ec2",
];

export function isInterfaceEndpointService(value: string): value is InterfaceEndpointService {
  return Object.prototype.hasOwnProperty.call(INTERFACE_ENDPOINT_SERVICES, value);
}

/**
 * The regional VPC endpoint service name, e.g. `com.amazonaws.eu-west-1.ssm`. China's regions name
 * most services `cn.com.amazonaws.<region>.<service>` but not all (S3 keeps `com.amazonaws.`), so
 * they are refused rather than guessed; topology validation refuses them first.
 */
export function endpointServiceName(region: string, service: InterfaceEndpointService | "s3"): string {
  if (partitionOf(region) === "aws-cn") throw new Error(`endpointServiceName: ${region} is in the aws-cn partition, whose endpoint service names are not built here.`);
  return `com.amazonaws.${region}.${service}`;
}
