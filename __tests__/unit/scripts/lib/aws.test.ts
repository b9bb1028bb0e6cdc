/**
 * The shared EC2 clients: one per Region, and EC2 throttling retried by the SDK's retry strategy
 * (checked at the HTTP level, so the real retry middleware runs, not a mock of it).
 */
import { Readable } from "node:stream";
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { Ec2Clients, parseEndpointUrl, parseRegion } from "../../../../scripts/lib/aws";
import { toExternalError } from "../../../../scripts/lib/aws-errors";
import { ExternalError } from "../../../../scripts/lib/cli";

const THROTTLED = `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r1</RequestID></Response>`;
const UNAUTHORIZED = `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r2</RequestID></Response>`;
const IMAGES = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r3</requestId><imagesSet><item><imageId>ami-1</imageId><imageState>available</imageState></item></imagesSet></DescribeImagesResponse>`;

/** Answers each request with the next canned response; records how many requests came. */
function scriptedHandler(responses: ReadonlyArray<{ status: number; body: string }>) {
  const calls: string[] = [];
  return {
    calls,
    handler: {
      async handle(request: { hostname: string }) {
        const next = responses[Math.min(calls.length, responses.length - 1)];
        calls.push(request.hostname);
        return { response: { statusCode: next.status, headers: { "content-type": "text/xml" }, body: Readable.from([Buffer.from(next.body)]) } };
      },
    },
  };
}

function clientsAnswering(responses: ReadonlyArray<{ status: number; body: string }>, maxAttempts?: number) {
  const scripted = scriptedHandler(responses);
  const clients = new Ec2Clients({
    maxAttempts,
    endpoints: { "eu-west-1": "https://vpce-0abc.ec2.eu-west-1.vpce.amazonaws.com" },
    onClientCreated: (client) => {
      (client.config as { requestHandler: unknown }).requestHandler = scripted.handler;
    },
  });
  return { clients, calls: scripted.calls };
}

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = "testing";
  process.env.AWS_SECRET_ACCESS_KEY = "testing";
});

describe("EC2 clients", () => {
  test("GIVEN two Regions WHEN clients are asked for THEN there is one per Region, reused", () => {
    const clients = new Ec2Clients();
    expect(clients.forRegion("eu-west-1")).toBe(clients.forRegion("eu-west-1"));
    expect(clients.forRegion("eu-west-1")).not.toBe(clients.forRegion("us-east-1"));
    clients.destroy();
  });

  test("GIVEN throttling then success WHEN calling THEN the SDK's retry strategy repeats the call and it succeeds", async () => {
    const { clients, calls } = clientsAnswering([
      { status: 503, body: THROTTLED },
      { status: 503, body: THROTTLED },
      { status: 200, body: IMAGES },
    ]);

    const output = await clients.forRegion("eu-west-1").send(new DescribeImagesCommand({}));

    expect(output.Images?.[0]?.ImageId).toBe("ami-1");
    expect(output.$metadata.attempts).toBe(3);
    // Through the configured endpoint, e.g. the VPC's EC2 interface endpoint.
    expect(calls).toEqual(Array(3).fill("vpce-0abc.ec2.eu-west-1.vpce.amazonaws.com"));
    clients.destroy();
  });

  test("GIVEN throttling that outlasts every attempt WHEN calling THEN it becomes an ExternalError that says what to do", async () => {
    const { clients, calls } = clientsAnswering([{ status: 503, body: THROTTLED }], 2);

    const error = await clients.forRegion("eu-west-1").send(new DescribeImagesCommand({})).catch((e: unknown) => e);

    expect(calls).toHaveLength(2);
    const external = toExternalError(error);
    expect(external).toBeInstanceOf(ExternalError);
    expect(external).toMatchObject({ code: "RequestLimitExceeded", message: "DescribeImages in eu-west-1 failed: Request limit exceeded." });
    expect((external as ExternalError).hint).toMatch(/lower --concurrency/);
    clients.destroy();
  });

  test("GIVEN an unauthorized call WHEN it fails THEN the error names the missing permission and the Region the client recorded", async () => {
    const { clients } = clientsAnswering([{ status: 403, body: UNAUTHORIZED }]);

    const error = await clients.forRegion("eu-west-1").send(new DescribeImagesCommand({})).catch((e: unknown) => e);

    expect(toExternalError(error)).toMatchObject({ code: "UnauthorizedOperation", hint: expect.stringMatching(/^the role lacks ec2:DescribeImages in eu-west-1/) });
    clients.destroy();
  });

  test("GIVEN no AWS_MAX_ATTEMPTS WHEN a client is made THEN its attempts allow for EC2 throttling", async () => {
    delete process.env.AWS_MAX_ATTEMPTS;
    const client: EC2Client = new Ec2Clients().forRegion("eu-west-1");
    expect(await client.config.maxAttempts()).toBe(8);
  });
});

describe("region and endpoint options", () => {
  test.each([
    ["region", undefined, "--region is required"],
    ["region", "eu-west", "--region 'eu-west' is not an AWS region"],
  ])("GIVEN --%s %j WHEN parsed THEN it is a usage error", (option, value, message) => {
    expect(() => parseRegion(option, value)).toThrow(message);
  });

  test("GIVEN an endpoint that is not an http(s) URL WHEN parsed THEN it is a usage error", () => {
    expect(parseEndpointUrl("endpoint-url", "https://vpce-1.ec2.eu-west-1.vpce.amazonaws.com")).toBe("https://vpce-1.ec2.eu-west-1.vpce.amazonaws.com");
    expect(() => parseEndpointUrl("endpoint-url", "vpce-1")).toThrow("--endpoint-url 'vpce-1' is not a URL");
    expect(() => parseEndpointUrl("endpoint-url", "ftp://x")).toThrow("must be an http(s) URL");
  });
});
