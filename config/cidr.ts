/** IPv4 CIDR arithmetic for topology validation and subnet layout. Pure functions, no I/O. */

export interface Ipv4Cidr {
  /** The canonical text, e.g. `10.10.0.0/16`. */
  readonly text: string;
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IP_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses a dotted IPv4 address; undefined when it is not one. */
export function parseIpv4(text: string): number | undefined {
  const match = IP_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((octet, i) => octet > 255 || (match[i + 1].length > 1 && match[i + 1].startsWith("0")))) {
    return undefined;
  }
  return octets.reduce((acc, octet) => acc * 256 + octet, 0);
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** Why a string is not a usable CIDR block, or undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return "is not an IPv4 CIDR block like 10.0.0.0/16";
  const address = parseIpv4(match.slice(1, 5).join("."));
  if (address === undefined) return "has an octet outside 0-255";
  const prefixLength = Number(match[5]);
  if (prefixLength > 32) return "has a prefix length above 32";
  const network = address - (address % 2 ** (32 - prefixLength));
  if (network !== address) {
    return `has host bits set; the network address is ${formatIpv4(network)}/${prefixLength}`;
  }
  return undefined;
}

export function parseCidr(text: string): Ipv4Cidr {
  const problem = cidrProblem(text);
  if (problem) throw new Error(`"${text}" ${problem}`);
  const [address, prefixLength] = text.split("/");
  return { text, network: parseIpv4(address)!, prefixLength: Number(prefixLength) };
}

export function size(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

export function contains(outer: Ipv4Cidr, address: number): boolean {
  return address >= outer.network && address < outer.network + size(outer);
}

export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network < b.network + size(b) && b.network < a.network + size(a);
}

/** True when `inner` lies wholly inside `outer`. */
export function within(inner: Ipv4Cidr, outer: Ipv4Cidr): boolean {
  return contains(outer, inner.network) && inner.prefixLength >= outer.prefixLength;
}

/**
 * The first `count` consecutive blocks of length `prefixLength` inside `parent`, or undefined
 * when they do not fit.
 */
export function carve(parent: Ipv4Cidr, prefixLength: number, count: number): Ipv4Cidr[] | undefined {
  if (prefixLength < parent.prefixLength || prefixLength > 32) return undefined;
  const blockSize = 2 ** (32 - prefixLength);
  if (blockSize * count > size(parent)) return undefined;
  return Array.from({ length: count }, (_, i) => {
    const network = parent.network + i * blockSize;
    return { text: `${formatIpv4(network)}/${prefixLength}`, network, prefixLength };
  });
}

/**
 * AWS reserves five addresses in every subnet: the network address, the VPC router (+1),
 * the Amazon DNS server (+2), one for future use (+3) and the last address.
 * https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
 */
export function isReservedInSubnet(subnet: Ipv4Cidr, address: number): boolean {
  const offset = address - subnet.network;
  return offset >= 0 && (offset <= 3 || offset === size(subnet) - 1);
}

/** The RFC 1918 and other special ranges AWS names in its VPC CIDR rules. */
export const SPECIAL_RANGES = {
  rfc1918Ten: parseCidr("10.0.0.0/8"),
  rfc1918OneSevenTwo: parseCidr("172.16.0.0/12"),
  rfc1918OneNineTwo: parseCidr("192.168.0.0/16"),
  sharedAddressSpace: parseCidr("100.64.0.0/10"),
  benchmarking: parseCidr("198.19.0.0/16"),
  linkLocal: parseCidr("169.254.0.0/16"),
  loopback: parseCidr("127.0.0.0/8"),
  multicastAndReserved: parseCidr("224.0.0.0/3"),
  thisNetwork: parseCidr("0.0.0.0/8"),
} as const;
