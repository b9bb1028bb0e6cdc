import { RegionLabels } from "../../../../scripts/reach/network-from-ec2";
import { buildReachSpec, connectionClientName, firstHost, firstUsableAddress } from "../../../../scripts/reach/reach-spec";
import { topologyWith } from "../../../support/topologies";

const topology = topologyWith();
const [primary, secondary] = [topology.primary.region, topology.secondary.region];

const labels = (region: string, role: "primary" | "secondary", vpnAttachments: Record<string, string>): RegionLabels => ({ region, role, vpnAttachments });
const bothRead = new Map([
  [primary, labels(primary, "primary", { office: "tgw-attach-office-1" })],
  [secondary, labels(secondary, "secondary", { office: "tgw-attach-office-2" })],
]);

describe("buildReachSpec: clients", () => {
  test("GIVEN a pair with a VPN into each region WHEN the spec is built THEN each region has its management VPC, from its first domain controller, and its VPN, from the first on-premises host", () => {
    const spec = buildReachSpec(topology, bothRead);

    expect(spec.clients).toEqual([
      { name: `management@${primary}`, kind: "address", region: primary, address: "10.30.0.20", sourceIp: "10.30.0.20" },
      { name: `office@${primary}`, kind: "attachment", region: primary, attachmentId: "tgw-attach-office-1", sourceIp: "192.168.0.1" },
      { name: `management@${secondary}`, kind: "address", region: secondary, address: "10.40.0.20", sourceIp: "10.40.0.20" },
      { name: `office@${secondary}`, kind: "attachment", region: secondary, attachmentId: "tgw-attach-office-2", sourceIp: "192.168.0.1" },
    ]);
  });

  test("GIVEN the secondary was not read WHEN the spec is built THEN its VPN client is still there, with an attachment id that says it was not read", () => {
    const spec = buildReachSpec(topology, new Map([[primary, bothRead.get(primary)!]]));

    expect(spec.clients.find((c) => c.name === `office@${secondary}`)).toMatchObject({ kind: "attachment", attachmentId: "(test-dr-secondary-tgw-vpn-office, not read)" });
  });

  test("GIVEN a read region where no attachment carries the VPN's tags WHEN the spec is built THEN the attachment id names the tag that was looked for", () => {
    const spec = buildReachSpec(topology, new Map([...bothRead, [secondary, labels(secondary, "secondary", {})]]));

    expect(spec.clients.find((c) => c.name === `office@${secondary}`)).toMatchObject({ attachmentId: "(none tagged Name=test-dr-secondary-tgw-vpn-office)" });
  });

  test("GIVEN a connection given by attachment id, with its own client networks WHEN the spec is built THEN that id and the first host of its first network are used", () => {
    const withDirectConnect = topologyWith((input) => {
      input.onPremises.connections[1] = { name: "dx", region: secondary, attachmentId: "tgw-attach-0123456789abcdef0", cidrs: ["172.20.8.0/21", "172.21.0.0/16"] };
    });

    const spec = buildReachSpec(withDirectConnect, bothRead);

    expect(spec.clients.find((c) => c.name === `dx@${secondary}`)).toEqual({
      name: `dx@${secondary}`,
      kind: "attachment",
      region: secondary,
      attachmentId: "tgw-attach-0123456789abcdef0",
      sourceIp: "172.20.8.1",
    });
  });

  test("GIVEN a connection named management WHEN named as a client THEN it cannot be mistaken for the management VPC", () => {
    expect(connectionClientName("management", primary)).toBe(`connection:management@${primary}`);
    expect(connectionClientName("hq-vpn", primary)).toBe(`hq-vpn@${primary}`);
  });
});

describe("buildReachSpec: workloads and the active region", () => {
  test("GIVEN two workloads WHEN the spec is built THEN each is probed at the first address AWS leaves usable in its first subnet", () => {
    expect(buildReachSpec(topology, bothRead).workloads).toEqual([
      { name: "app", cidr: "10.60.0.0/20", probeIp: "10.60.0.4" },
      { name: "db", cidr: "10.61.0.0/22", probeIp: "10.61.0.4" },
    ]);
  });

  test("GIVEN an active region WHEN the spec is built THEN it is kept; without one it is left to inference", () => {
    expect(buildReachSpec(topology, bothRead, secondary).activeRegion).toBe(secondary);
    expect("activeRegion" in buildReachSpec(topology, bothRead)).toBe(false);
  });

  test.each([
    ["10.60.0.0/22", "10.60.0.4"],
    ["10.61.2.0/23", "10.61.2.4"],
    ["10.0.0.240/28", "10.0.0.244"],
  ])("GIVEN subnet %s WHEN its first usable address is asked for THEN it is %s", (cidr, address) => {
    expect(firstUsableAddress(cidr)).toBe(address);
  });

  test.each([
    ["192.168.0.0/16", "192.168.0.1"],
    ["172.16.4.0/22", "172.16.4.1"],
    ["203.0.113.9/32", "203.0.113.9"],
  ])("GIVEN on-premises network %s WHEN its first host is asked for THEN it is %s", (cidr, address) => {
    expect(firstHost(cidr)).toBe(address);
  });
});
