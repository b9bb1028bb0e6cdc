import { captureImageName, copyClientToken, defaultCaptureId, parseCaptureId } from "../../../../scripts/ami/naming";

describe("capture naming", () => {
  test("GIVEN a time WHEN no capture id is given THEN the capture id is its UTC date", () => {
    expect(defaultCaptureId(new Date("2024-06-01T23:59:59.000Z"))).toBe("2024-06-01");
  });

  test("GIVEN a capture WHEN naming its image THEN the name is the same every time and fits AWS's AMI name rules", () => {
    const name = captureImageName("i-0123456789abcdef0", "2024-06-01");
    expect(name).toBe("regionpair-i-0123456789abcdef0-2024-06-01");
    expect(name).toMatch(/^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/);
  });

  test.each(["2024-06-01", "before-upgrade", "a", "v1.2_3"])("GIVEN capture id %s WHEN parsed THEN it is accepted", (id) => {
    expect(parseCaptureId(id)).toBe(id);
  });

  test.each(["", "-leading-dash", "has space", "x".repeat(41), "semi;colon"])("GIVEN capture id %j WHEN parsed THEN it is a usage error", (id) => {
    expect(() => parseCaptureId(id)).toThrow(/--capture-id/);
  });
});

describe("CopyImage client tokens", () => {
  test("GIVEN a source image and Region WHEN deriving the client token THEN it is the same every time and at most 64 characters", () => {
    const token = copyClientToken("ami-1", "eu-west-1");
    expect(copyClientToken("ami-1", "eu-west-1")).toBe(token);
    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^[\x21-\x7e]+$/);
  });

  test("GIVEN another image, another Region or a previous answer WHEN deriving the client token THEN it differs", () => {
    const token = copyClientToken("ami-1", "eu-west-1");
    expect(new Set([token, copyClientToken("ami-2", "eu-west-1"), copyClientToken("ami-1", "eu-west-2"), copyClientToken("ami-1", "eu-west-1", "ami-failed")]).size).toBe(4);
  });
});
