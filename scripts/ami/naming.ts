/**
 * Deterministic names and client tokens for images, so that a retry or a rerun finds the image
 * it already asked for instead of making a second one. A capture is one image of one instance,
 * identified by the instance and a capture id (by default the UTC date).
 */
import { createHash } from "node:crypto";
import { UsageError } from "../lib/cli";

const CAPTURE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** The default capture id: the UTC date, so one run per instance per day makes one image. */
export function defaultCaptureId(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function parseCaptureId(value: string): string {
  if (!CAPTURE_ID.test(value)) {
    throw new UsageError(`--capture-id '${value}' must be 1-40 letters, digits, '.', '_' or '-' (for example 2024-06-01 or before-upgrade)`);
  }
  return value;
}

/**
 * The AMI name of a capture, the same in both Regions. AMI names are unique per account and
 * Region, so CreateImage refuses a second image of the same capture (InvalidAMIName.Duplicate).
 */
export function captureImageName(instanceId: string, captureId: string): string {
  return `regionpair-${instanceId}-${captureId}`;
}

export function captureDescription(instanceId: string, instanceName: string | undefined, captureId: string): string {
  const name = instanceName ? ` (${instanceName})` : "";
  return `regionpair capture ${captureId} of ${instanceId}${name}`.slice(0, 255);
}

/**
 * CopyImage's client token: the same source image copied to the same Region gives the same token,
 * so a retried or repeated request returns the first copy. `previousAnswer` is the copy the
 * previous token was answered with, when that copy is failed or deregistered: the next token is
 * derived from it, so the replacement is a new request (not the cached answer) and every run
 * derives the same chain of tokens.
 */
export function copyClientToken(sourceImageId: string, targetRegion: string, previousAnswer?: string): string {
  const digest = createHash("sha256").update(`${sourceImageId}|${targetRegion}|${previousAnswer ?? ""}`).digest("hex");
  // ClientToken allows 64 ASCII characters.
  return `regionpair-${digest.slice(0, 52)}`;
}
