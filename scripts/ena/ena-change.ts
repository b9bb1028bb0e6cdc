/**
 * The change `ena enable` makes to an instance (stop, set ENA support, change the type, start),
 * decided from facts alone (no AWS calls), so every rule is tested on its own: refuse what cannot
 * work, stop only when allowed, and do nothing when ENA is already on and the instance already
 * has the wanted type.
 */
import { ExternalError, UsageError } from "../lib/cli";
import { InstanceFacts, InstanceTypeFacts } from "./instance-facts";

export interface EnaChange {
  /** ENA already on and the type already as wanted. */
  readonly noop: boolean;
  /** The instance is running (or pending) and must be stopped first. */
  readonly stop: boolean;
  /** The instance is stopping already: wait for it to be stopped. */
  readonly waitUntilStopped: boolean;
  readonly enableEna: boolean;
  /** The new instance type, when it changes. */
  readonly newType?: string;
  /** Start it again at the end, because it was running. */
  readonly start: boolean;
  /** Things worth knowing that do not stop the change. */
  readonly notes: readonly string[];
}

export interface EnaChangeOptions {
  readonly allowStop: boolean;
  /** A dry run reports a stop without --allow-stop instead of refusing it. */
  readonly dryRun: boolean;
}

const RUNNING_STATES = new Set(["running", "pending"]);

export function decideEnaChange(instance: InstanceFacts, target: InstanceTypeFacts, options: EnaChangeOptions): EnaChange {
  const id = instance.instanceId;
  if (instance.state === "terminated" || instance.state === "shutting-down") {
    throw new ExternalError(`${id} is ${instance.state}`, "IncorrectInstanceState", "the instance id: only a live instance can be changed");
  }
  const newType = target.instanceType !== instance.instanceType ? target.instanceType : undefined;
  const enableEna = !instance.enaSupport;
  if (!enableEna && !newType) {
    return { noop: true, stop: false, waitUntilStopped: false, enableEna: false, start: false, notes: [] };
  }
  if (newType && instance.architecture && target.architectures.length > 0 && !target.architectures.includes(instance.architecture)) {
    throw new UsageError(
      `--type ${newType} runs ${target.architectures.join("/")} but ${id} is ${instance.architecture}; choose a type for ${instance.architecture}`,
    );
  }
  const running = RUNNING_STATES.has(instance.state);
  const changes = [enableEna ? "ENA support" : undefined, newType ? "the instance type" : undefined].filter(Boolean).join(" and ");
  if (running && !options.allowStop && !options.dryRun) {
    throw new UsageError(
      `${id} is ${instance.state}: ${changes} can only change while it is stopped; add --allow-stop to stop it and start it again afterwards, or stop it first`,
    );
  }
  const notes: string[] = [];
  if (running && !options.allowStop) notes.push(`${id} is ${instance.state}: the change needs --allow-stop`);
  if (target.enaSupport === "unsupported") {
    notes.push(`${target.instanceType} does not use ENA; the attribute takes effect once the instance runs on a type that supports ENA`);
  }
  return {
    noop: false,
    stop: running,
    waitUntilStopped: instance.state === "stopping",
    enableEna,
    newType,
    start: running,
    notes,
  };
}
