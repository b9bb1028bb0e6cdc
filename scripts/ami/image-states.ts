/**
 * What an AMI's state means for a capture, decided once for the copy, the poller and retention.
 * EC2's ImageState values (API Reference, Image.State) are pending, available, invalid,
 * deregistered, transient, failed, error and disabled:
 *
 * - `pending`, `transient`: still being made; wait.
 * - `available`: done.
 * - `failed`, `error`, `invalid`: the image was not made and never will be. The copy replaces
 *   such an image of its capture (deregisters it, makes it again); retention removes old ones.
 * - `deregistered`: gone (AWS shows a deregistered AMI for a short while). Nothing to continue
 *   with, and nothing left to deregister.
 * - `disabled`: someone disabled it on purpose (DisableImage); it cannot be copied or launched
 *   until it is enabled again. Never replaced or removed by regionpair: the user decides.
 *
 * A state this list does not know (one AWS adds later) is treated as still in progress: a wait
 * ends at its deadline, and nothing is removed.
 */
import { ImageState } from "@aws-sdk/client-ec2";

export type ImageCondition = "available" | "in-progress" | "broken" | "gone" | "disabled";

const CONDITIONS: Readonly<Record<ImageState, ImageCondition>> = {
  [ImageState.pending]: "in-progress",
  [ImageState.transient]: "in-progress",
  [ImageState.available]: "available",
  [ImageState.failed]: "broken",
  [ImageState.error]: "broken",
  [ImageState.invalid]: "broken",
  [ImageState.deregistered]: "gone",
  [ImageState.disabled]: "disabled",
};

export function imageCondition(state: string | undefined): ImageCondition {
  return CONDITIONS[state as ImageState] ?? "in-progress";
}

/** A wait for `available` can stop: the image will not get there by itself. */
export function willNeverBeAvailable(state: string | undefined): boolean {
  const condition = imageCondition(state);
  return condition === "broken" || condition === "gone" || condition === "disabled";
}
