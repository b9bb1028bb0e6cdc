import { carve, cidrProblem, contains, isReservedInSubnet, overlaps, parseCidr, parseIpv4, within } from "../../config/cidr";

describe("IPv4 CIDR arithmetic", () => {
  test.each([
    ["10.0.0.0/16", undefined],
    ["10.0.0.0/33", /prefix length/],
    ["10.0.0.1/16", /host bits/],
    ["10.0.0/16", /not an IPv4 CIDR/],
    ["256.0.0.0/8", /octet/],
    ["010.0.0.0/8", /octet/],
  ])("GIVEN %s WHEN checked THEN the problem is %s", (text, expected) => {
    const problem = cidrProblem(text);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  test("GIVEN a /20 WHEN carved into two /21 THEN the blocks are consecutive, and three do not fit", () => {
    expect(carve(parseCidr("10.60.0.0/20"), 21, 2)!.map((c) => c.text)).toEqual(["10.60.0.0/21", "10.60.8.0/21"]);
    expect(carve(parseCidr("10.60.0.0/20"), 21, 3)).toBeUndefined();
    expect(carve(parseCidr("10.60.0.0/20"), 19, 1)).toBeUndefined();
  });

  test("GIVEN blocks WHEN compared THEN overlap and containment follow the address ranges", () => {
    expect(overlaps(parseCidr("10.0.0.0/16"), parseCidr("10.0.255.0/24"))).toBe(true);
    expect(overlaps(parseCidr("10.0.0.0/16"), parseCidr("10.1.0.0/16"))).toBe(false);
    expect(within(parseCidr("10.0.4.0/24"), parseCidr("10.0.0.0/16"))).toBe(true);
    expect(within(parseCidr("10.0.0.0/8"), parseCidr("10.0.0.0/16"))).toBe(false);
    expect(contains(parseCidr("10.0.0.0/16"), parseIpv4("10.0.255.255")!)).toBe(true);
  });

  test("GIVEN a subnet WHEN checking addresses THEN the first four and the last are AWS-reserved", () => {
    const subnet = parseCidr("10.0.0.0/24");
    const reserved = ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.255"];
    for (const ip of reserved) expect(isReservedInSubnet(subnet, parseIpv4(ip)!)).toBe(true);
    expect(isReservedInSubnet(subnet, parseIpv4("10.0.0.4")!)).toBe(false);
    expect(isReservedInSubnet(subnet, parseIpv4("10.0.0.254")!)).toBe(false);
  });
});
