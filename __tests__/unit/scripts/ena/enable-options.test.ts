import { parseEnaEnableArguments } from "../../../../scripts/ena/enable";
import { UsageError } from "../../../../scripts/lib/cli";

describe("ena enable options", () => {
  test("GIVEN only the required options WHEN parsed THEN the defaults are: keep the type, do not stop, 15 minutes per wait", () => {
    expect(parseEnaEnableArguments(["--region", "us-east-1", "--instance-id", "i-0123456789abcdef0"])).toEqual({
      options: { region: "us-east-1", instanceId: "i-0123456789abcdef0", instanceType: undefined, allowStop: false, timeoutSeconds: 900 },
      endpointUrl: undefined,
      dryRun: false,
      json: false,
    });
  });

  test.each([
    [["--instance-id", "i-0123456789abcdef0"], "--region is required"],
    [["--region", "us-east-1"], "--instance-id is required"],
    [["--region", "us-east-1", "--instance-id", "i-1"], "--instance-id 'i-1' is not an instance id"],
    [["--region", "us-east-1", "--instance-id", "i-0123456789abcdef0", "--type", "M5 large"], "--type 'M5 large' is not an instance type name"],
    [["--region", "us-east-1", "--instance-id", "i-0123456789abcdef0", "--timeout", "0"], "--timeout '0' must be a number from 0.1 to 240"],
    [["--region", "us-east-1", "--instance-id", "i-0123456789abcdef0", "--stop"], "Unknown option '--stop'"],
  ])("GIVEN %j WHEN parsed THEN it is a usage error: %s", (argv, message) => {
    expect(() => parseEnaEnableArguments(argv)).toThrow(UsageError);
    expect(() => parseEnaEnableArguments(argv)).toThrow(message);
  });
});
