/**
 * What `ena enable` shows of an instance before and after the change (type, ENA support, state),
 * and the one way it is written for people, e.g. `m5.large, ENA support on, running`.
 */
import { InstanceFacts } from "./instance-facts";

export interface InstanceSnapshot {
  readonly state: string;
  readonly instanceType: string;
  readonly enaSupport: boolean;
}

export function snapshotOf(facts: InstanceFacts): InstanceSnapshot {
  return { state: facts.state, instanceType: facts.instanceType, enaSupport: facts.enaSupport };
}

export function describeSnapshot(snapshot: InstanceSnapshot): string {
  return `${snapshot.instanceType}, ENA support ${snapshot.enaSupport ? "on" : "off"}, ${snapshot.state}`;
}
