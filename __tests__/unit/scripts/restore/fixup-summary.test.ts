import { parseFixupSummary } from "../../../../scripts/restore/fixup-summary";

const summaryLine = (fixups: Record<string, unknown>, ok = true) => JSON.stringify({ regionpair: "post-restore", version: 1, platform: "windows", computerName: "EC2AMAZ-1", ok, fixups });

describe("the post-restore summary read back from the document's output", () => {
  test("GIVEN progress lines then the JSON summary WHEN parsed THEN each fix-up's status, detail and extra fields come back in order", () => {
    const output = ["ec2launch: changed: ran", "time: ok: from dc1", summaryLine({ ec2launch: { status: "changed", detail: "ran" }, time: { status: "ok", detail: "from dc1", source: "dc1", domainMember: true } }), ""].join("\r\n");
    const parsed = parseFixupSummary(output);
    expect(parsed).toEqual({
      summary: {
        platform: "windows",
        computerName: "EC2AMAZ-1",
        ok: true,
        fixups: {
          ec2launch: { status: "changed", detail: "ran", extra: {} },
          time: { status: "ok", detail: "from dc1", extra: { source: "dc1", domainMember: true } },
        },
      },
    });
    expect(Object.keys((parsed as { summary: { fixups: object } }).summary.fixups)).toEqual(["ec2launch", "time"]);
  });

  test("GIVEN a failed fix-up WHEN parsed THEN the summary is not ok even if the script said ok", () => {
    const parsed = parseFixupSummary(summaryLine({ activation: { status: "failed", detail: "0xC004F074" } }, true));
    expect("summary" in parsed && parsed.summary.ok).toBe(false);
  });

  test("GIVEN an unknown status WHEN parsed THEN it counts as failed and says so", () => {
    const parsed = parseFixupSummary(summaryLine({ dhcp: { status: "maybe" } }));
    expect(parsed).toMatchObject({ summary: { ok: false, fixups: { dhcp: { status: "failed", detail: 'unknown status "maybe"' } } } });
  });

  test.each([
    ["", "the document printed nothing"],
    ["ec2launch: changed: ran\ntime: ok", "its last line is not the JSON summary"],
    ['{"some":"json"}', "its last line is JSON but not a regionpair post-restore summary"],
  ])("GIVEN output %j WHEN parsed THEN it says why there is no summary", (output, problem) => {
    expect(parseFixupSummary(output)).toEqual({ problem: expect.stringContaining(problem) });
  });
});
