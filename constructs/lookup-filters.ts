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
 * Attachment states of an attachment that was accepted and still carries (or will carry) traffic.
 * Not only `available`: a region's own routes must still plan while the peering shows another
 * state during an outage of the other region. Not the states before acceptance
 * (`initiating`, `initiatingRequest`, `pendingAcceptance`): a stray, never-accepted duplicate (a
 * retried create) must not be found next to the real one. Not deleted ones, which stay visible
 * for a while and would make a recreated attachment match twice.
 */
export const LIVE_ATTACHMENT_STATES: LookupFilter = {
  name: "state",
  values: ["available", "pending", "modifying", "rollingBack", "failing"],
};

export const AVAILABLE: LookupFilter = { name: "state", values: ["available"] };
