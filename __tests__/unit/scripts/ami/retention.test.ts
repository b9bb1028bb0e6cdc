import { ManagedImage } from "../../../../scripts/ami/managed-images";
import { planRetention } from "../../../../scripts/ami/retention";

let counter = 0;
function image(fields: Partial<ManagedImage> & { day: number }): ManagedImage {
  counter += 1;
  const { day, ...rest } = fields;
  return {
    imageId: `ami-${String(counter).padStart(4, "0")}`,
    region: "us-east-1",
    role: "source",
    state: "available",
    sourceInstanceId: "i-1",
    capturedAt: new Date(Date.UTC(2024, 5, day)),
    snapshotIds: [`snap-${counter}`],
    image: {},
    ...rest,
  };
}

const removedIds = (images: ManagedImage[], keep: number) => planRetention(images, keep).remove.map((i) => i.imageId);

describe("retention", () => {
  test("GIVEN three available images WHEN keeping N THEN the N newest stay and the older ones go", () => {
    const images = [image({ day: 1 }), image({ day: 2 }), image({ day: 3 })];
    expect(removedIds(images, 2)).toEqual([images[0].imageId]);
    expect(removedIds(images, 1)).toEqual([images[0].imageId, images[1].imageId]);
    expect(removedIds(images, 3)).toEqual([]);
  });

  test("GIVEN a pending image WHEN planning THEN it is never removed and does not count towards N", () => {
    const images = [image({ day: 1 }), image({ day: 2 }), image({ day: 3, state: "pending" })];
    expect(removedIds(images, 1)).toEqual([images[0].imageId]);
  });

  test("GIVEN failed and pending images newer than the only available one WHEN planning THEN the newest available image stays", () => {
    const images = [image({ day: 1 }), image({ day: 2, state: "failed" }), image({ day: 3, state: "pending" })];
    expect(removedIds(images, 1)).toEqual([]);
  });

  test("GIVEN failed images before and after the newest available one WHEN planning THEN the older one goes and the newer one stays", () => {
    const images = [image({ day: 1, state: "failed" }), image({ day: 2 }), image({ day: 3, state: "failed" })];
    expect(removedIds(images, 1)).toEqual([images[0].imageId]);
  });

  test.each(["failed", "error", "invalid"])("GIVEN an old image in state %s WHEN planning THEN it is removed", (state) => {
    const images = [image({ day: 1, state }), image({ day: 2 })];
    expect(removedIds(images, 1)).toEqual([images[0].imageId]);
  });

  test("GIVEN an old image someone disabled WHEN planning THEN it is left alone (disabling was deliberate)", () => {
    const images = [image({ day: 1, state: "disabled" }), image({ day: 2 })];
    expect(removedIds(images, 1)).toEqual([]);
  });

  test("GIVEN images of two instances in two Regions WHEN planning THEN N counts per instance, per Region and per role", () => {
    const images = [
      image({ day: 1 }),
      image({ day: 2 }),
      image({ day: 1, sourceInstanceId: "i-2" }),
      image({ day: 1, region: "eu-west-1", role: "copy" }),
      image({ day: 2, region: "eu-west-1", role: "copy" }),
    ];
    expect(removedIds(images, 1)).toEqual([images[0].imageId, images[3].imageId]);
  });

  test("GIVEN a source image whose copy is still in progress WHEN planning THEN the source image stays", () => {
    const old = image({ day: 1 });
    const images = [old, image({ day: 2 }), image({ day: 1, region: "eu-west-1", role: "copy", state: "pending", sourceImageId: old.imageId })];
    expect(removedIds(images, 1)).toEqual([]);
  });

  test.each([0, -1, 1.5])("GIVEN keep = %s WHEN planning THEN it is refused: the newest image is never removed", (keep) => {
    expect(() => planRetention([image({ day: 1 })], keep)).toThrow(/keep must be at least 1/);
  });
});
