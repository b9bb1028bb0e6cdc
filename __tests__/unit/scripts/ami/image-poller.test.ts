/**
 * The batched image poller, with EC2 mocked: one DescribeImages per round for all images, and the
 * fault paths the emulator cannot produce (throttling, a failed image, a deadline, an abort).
 */
import { DescribeImagesCommand, EC2Client, EC2ServiceException, Image } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { ImagePoller, ImageWaitError } from "../../../../scripts/ami/image-poller";
import { ExternalError } from "../../../../scripts/lib/cli";
import { InterruptedError } from "../../../../scripts/lib/retry";

const ec2Mock = mockClient(EC2Client);
const FAR = () => Date.now() + 60_000;

function serviceError(name: string, status = 400): EC2ServiceException {
  return new EC2ServiceException({ name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status }, message: `${name} happened` });
}

const images = (...states: Array<[string, Image["State"], Image["StateReason"]?]>) => ({
  Images: states.map(([ImageId, State, StateReason]) => ({ ImageId, State, StateReason })),
});

beforeEach(() => ec2Mock.reset());

describe("waiting for images", () => {
  test("GIVEN three images waited for WHEN polling THEN one DescribeImages per round covers them all", async () => {
    ec2Mock
      .on(DescribeImagesCommand)
      .resolvesOnce(images(["ami-1", "pending"], ["ami-2", "pending"], ["ami-3", "pending"]))
      .resolvesOnce(images(["ami-1", "available"], ["ami-2", "pending"], ["ami-3", "available"]))
      .resolves(images(["ami-2", "available"]));
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5 });

    const done = await Promise.all(["ami-1", "ami-2", "ami-3"].map((id) => poller.waitUntilAvailable(id, FAR())));

    expect(done.map((i) => i.ImageId)).toEqual(["ami-1", "ami-2", "ami-3"]);
    const calls = ec2Mock.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input.Filters?.[0]?.Values);
    expect(calls).toEqual([
      ["ami-1", "ami-2", "ami-3"],
      ["ami-1", "ami-2", "ami-3"],
      ["ami-2"],
    ]);
    expect(poller.pollRounds).toBe(3);
  });

  test("GIVEN a throttled round WHEN polling THEN it is skipped and the next one finds the image", async () => {
    ec2Mock.on(DescribeImagesCommand).rejectsOnce(serviceError("RequestLimitExceeded", 503)).resolves(images(["ami-1", "available"]));
    const skipped: unknown[] = [];
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5, onTransientError: (e) => skipped.push(e) });

    await expect(poller.waitUntilAvailable("ami-1", FAR())).resolves.toMatchObject({ ImageId: "ami-1" });
    expect(skipped).toHaveLength(1);
  });

  test("GIVEN a copy that ends in state failed WHEN waiting THEN the wait rejects with the state and AWS's reason", async () => {
    ec2Mock.on(DescribeImagesCommand).resolves(images(["ami-1", "failed", { Code: "Client.InvalidKMSKey.InvalidState", Message: "The KMS key is disabled" }]));
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5 });

    const error = await poller.waitUntilAvailable("ami-1", FAR()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ImageWaitError);
    expect(error).toMatchObject({
      failure: "failed",
      state: "failed",
      stateReason: { code: "Client.InvalidKMSKey.InvalidState", message: "The KMS key is disabled" },
      message: "ami-1 in eu-west-1 ended in state failed: The KMS key is disabled",
    });
  });

  test("GIVEN an image still pending when its time is up WHEN waiting THEN it rejects with timeout while the others keep waiting", async () => {
    ec2Mock.on(DescribeImagesCommand).resolvesOnce(images(["ami-1", "pending"], ["ami-2", "pending"])).resolves(images(["ami-1", "pending"], ["ami-2", "available"]));
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5 });

    const [late, onTime] = await Promise.allSettled([poller.waitUntilAvailable("ami-1", Date.now() + 1), poller.waitUntilAvailable("ami-2", FAR())]);

    expect(late).toMatchObject({ status: "rejected", reason: { failure: "timeout", state: "pending", message: "ami-1 in eu-west-1 was still pending at the deadline" } });
    expect(onTime).toMatchObject({ status: "fulfilled", value: { ImageId: "ami-2" } });
  });

  test("GIVEN an image seen and then gone WHEN waiting THEN it was deregistered", async () => {
    ec2Mock.on(DescribeImagesCommand).resolvesOnce(images(["ami-1", "pending"])).resolves({ Images: [] });
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5 });

    await expect(poller.waitUntilAvailable("ami-1", FAR())).rejects.toMatchObject({ failure: "deregistered" });
  });

  test("GIVEN an image not visible yet (eventual consistency) WHEN waiting THEN it is waited for", async () => {
    ec2Mock.on(DescribeImagesCommand).resolvesOnce({ Images: [] }).resolves(images(["ami-1", "available"]));
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5 });

    await expect(poller.waitUntilAvailable("ami-1", FAR())).resolves.toMatchObject({ ImageId: "ami-1" });
  });

  test("GIVEN a permission error WHEN polling THEN every wait ends with an ExternalError naming ec2:DescribeImages", async () => {
    ec2Mock.on(DescribeImagesCommand).rejects(serviceError("UnauthorizedOperation", 403));
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5 });

    const error = await poller.waitUntilAvailable("ami-1", FAR()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExternalError);
    expect(error).toMatchObject({ code: "UnauthorizedOperation", hint: expect.stringMatching(/ec2:DescribeImages in eu-west-1/) });
  });

  test("GIVEN an abort WHEN waiting THEN every wait ends at once", async () => {
    ec2Mock.on(DescribeImagesCommand).resolves(images(["ami-1", "pending"]));
    const interrupt = new AbortController();
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 50, signal: interrupt.signal });

    const waiting = poller.waitUntilAvailable("ami-1", FAR());
    setTimeout(() => interrupt.abort(), 20);

    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
  });

  test("GIVEN an image that never shows up WHEN waited for with appearBy THEN the wait ends not-found at that time, not at the deadline", async () => {
    ec2Mock.on(DescribeImagesCommand).resolves({ Images: [] });
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5 });
    const started = Date.now();

    const error = await poller.waitUntilAvailable("ami-1", FAR(), { appearBy: Date.now() + 30 }).catch((e: unknown) => e);

    expect(error).toMatchObject({ failure: "not-found", wasLive: false, message: "ami-1 in eu-west-1 never showed up in DescribeImages" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("GIVEN an image seen pending and then deregistered WHEN waited for THEN the failure says it was alive", async () => {
    ec2Mock.on(DescribeImagesCommand).resolvesOnce(images(["ami-1", "pending"])).resolves(images(["ami-1", "deregistered"]));
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5 });

    await expect(poller.waitUntilAvailable("ami-1", FAR())).rejects.toMatchObject({ failure: "deregistered", state: "deregistered", wasLive: true });
  });

  test("GIVEN an image first seen failed WHEN waited for THEN the failure says it was never alive", async () => {
    ec2Mock.on(DescribeImagesCommand).resolves(images(["ami-1", "failed"]));
    const poller = new ImagePoller(new EC2Client({ region: "eu-west-1" }), { region: "eu-west-1", intervalMs: 5 });

    await expect(poller.waitUntilAvailable("ami-1", FAR())).rejects.toMatchObject({ failure: "failed", wasLive: false });
  });
});
