/**
 * One reading of EC2's image states for the copy, the poller and retention (ImageState:
 * pending | available | invalid | deregistered | transient | failed | error | disabled).
 */
import { ImageState } from "@aws-sdk/client-ec2";
import { imageCondition, willNeverBeAvailable } from "../../../../scripts/ami/image-states";

describe("what an image state means", () => {
  test.each([
    [ImageState.pending, "in-progress", false],
    [ImageState.transient, "in-progress", false],
    [ImageState.available, "available", false],
    [ImageState.failed, "broken", true],
    [ImageState.error, "broken", true],
    [ImageState.invalid, "broken", true],
    [ImageState.deregistered, "gone", true],
    [ImageState.disabled, "disabled", true],
    ["a-state-added-later", "in-progress", false],
  ])("GIVEN state %s WHEN read THEN it is %s and a wait for available stops: %s", (state, condition, stops) => {
    expect(imageCondition(state)).toBe(condition);
    expect(willNeverBeAvailable(state)).toBe(stops);
  });

  test("GIVEN every ImageState the SDK knows WHEN read THEN each has a meaning of its own, none falls through to the default", () => {
    const known = Object.values(ImageState);
    expect(known.filter((state) => state !== ImageState.pending && state !== ImageState.transient && imageCondition(state) === "in-progress")).toEqual([]);
    expect(known).toHaveLength(8);
  });
});
