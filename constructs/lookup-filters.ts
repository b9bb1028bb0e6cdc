/** Tag and state filters the lookups share: resources are found by the tags the stacks set. */
import { TAG_TOPOLOGY } from "./naming";

export interface LookupFilter {
  readonly name: string;
  readonly values: string[];
}

export function byTags(name: string, topology: string, extra: readonly LookupFilter[] = []): LookupFilter[] {
  return [{ name: "tag:Name", values: [name] }, { name: `tag:${TAG_TOPOLOGY}`, values: [topology] }, ...extra];
}

/**
 * Attachment states that still carry (or will carry) traffic. A deleted attachment stays visible
 * for a while; with it in the filter, a recreated one would be found twice. Not only `available`:
 * a region's own routes must still plan while the peering shows another state during an outage
 * of the other region.
 */
export const LIVE_ATTACHMENT_STATES: LookupFilter = {
  name: "state",
  values: ["available", "pending", "pendingAcceptance", "modifying", "initiating", "initiatingRequest", "rollingBack", "failing"],
};

export const AVAILABLE: LookupFilter = { name: "state", values: ["available"] };
