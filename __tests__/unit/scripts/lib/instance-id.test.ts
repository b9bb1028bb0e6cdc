import { UsageError } from "../../../../scripts/lib/cli";
import { parseInstanceId } from "../../../../scripts/lib/instance-id";

describe("instance ids on the command line", () => {
  test.each(["i-0123abcd", "i-0123456789abcdef0"])("GIVEN %s WHEN parsed THEN it is taken as is", (id) => {
    expect(parseInstanceId(id)).toBe(id);
  });

  test.each(["web-1", "i-0123", "i-0123456789ABCDEF0", "i-0123456789abcdef01", "ami-0123456789abcdef0"])(
    "GIVEN %s WHEN parsed THEN it is a usage error naming --instance-id",
    (text) => {
      expect(() => parseInstanceId(text)).toThrow(UsageError);
      expect(() => parseInstanceId(text)).toThrow(`--instance-id '${text}' is not an instance id`);
    },
  );
});
