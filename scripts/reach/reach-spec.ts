/**
 * What `regionpair reach` checks for a topology: who the clients are, which address stands for
 * each workload, and which region should answer. Pure: the connections' attachment ids come from
 * the read-back labels, everything else from the topology.
 *
 * - Clients: each region's management VPC, sending from its first domain controller (the
 *   directory is what a restored instance must reach first), and each on-premises connection,
 *   entering its region's transit gateway through its attachment and sending from the first
 *   host of its first client network.
 * - Destinations: each workload at the first address AWS lets an instance have in its first
 *   subnet. Both regions' copies hold that same address.
 */
import { formatIpv4, parseCidr } from "../../config/cidr";
import { NAME_SUFFIX, Naming } from "../../constructs/naming";
import { REGION_ROLES, RegionRole, Topology } from "../../config/topology-model";
import { RegionLabels } from "./network-from-ec2";
import { ReachClient, ReachSpec, ReachWorkload } from "./reach-report";

/** AWS keeps the network address and the next three of every subnet (router, DNS, reserved). */
const FIRST_USABLE_OFFSET = 4;

/** What the read-back of each region says, by region; absent for a region that was not read. */
export type LabelsByRegion = ReadonlyMap<string, RegionLabels>;

export function buildReachSpec(topology: Topology, labels: LabelsByRegion, activeRegion?: string): ReachSpec {
  const clients = REGION_ROLES.flatMap((role) => clientsOf(topology, role, labels.get(topology[role].region)));
  const workloads = topology.workloads.map(
    (workload): ReachWorkload => ({ name: workload.name, cidr: workload.cidr, probeIp: firstUsableAddress(workload.subnetCidrs[0]) }),
  );
  return { clients, workloads, ...(activeRegion ? { activeRegion } : {}) };
}

function clientsOf(topology: Topology, role: RegionRole, labels: RegionLabels | undefined): ReachClient[] {
  const layout = topology[role];
  const region = layout.region;
  const domainController = layout.domainControllerIps[0];
  const management: ReachClient = { name: managementClientName(region), kind: "address", region, address: domainController, sourceIp: domainController };
  const connections = layout.connections.map(
    (connection): ReachClient => ({
      name: connectionClientName(connection.name, region),
      kind: "attachment",
      region,
      attachmentId: connection.kind === "attachment" ? connection.attachmentId : vpnAttachmentId(topology, role, connection.name, labels),
      sourceIp: firstHost(connection.cidrs[0]),
    }),
  );
  return [management, ...connections];
}

/** `management@us-east-1`: the management VPC of that region. */
export function managementClientName(region: string): string {
  return `management@${region}`;
}

/**
 * `hq-vpn@us-east-1`: that connection where it enters that region. A connection named
 * `management` would read like the VPC, so it keeps a prefix (connection names have no colon).
 */
export function connectionClientName(connection: string, region: string): string {
  return connection === "management" ? `connection:${connection}@${region}` : `${connection}@${region}`;
}

/**
 * The attachment AWS made for a VPN connection, as its tags found it. When the region was not
 * read, or nothing carries the tags, the id says so: the trace then ends on it with that text,
 * `unknown` for an unread region and `no-route` for a missing attachment.
 */
function vpnAttachmentId(topology: Topology, role: RegionRole, connection: string, labels: RegionLabels | undefined): string {
  const found = labels?.vpnAttachments[connection];
  if (found) return found;
  const name = new Naming(topology.name, role).name(NAME_SUFFIX.vpnAttachment(connection));
  return labels ? `(none tagged Name=${name})` : `(${name}, not read)`;
}

export function firstUsableAddress(subnetCidr: string): string {
  return formatIpv4(parseCidr(subnetCidr).network + FIRST_USABLE_OFFSET);
}

/** The first host of an on-premises network (not an AWS subnet: only the network address is skipped). */
export function firstHost(cidr: string): string {
  const block = parseCidr(cidr);
  return formatIpv4(block.network + (block.prefixLength >= 31 ? 0 : 1));
}
