import { PassThrough } from "node:stream";
import { chooseOutputMode, createProgress, formatDuration } from "../../../../scripts/lib/progress";

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk) => (text += chunk));
  return { stream, text: () => text };
}

describe("choosing how to show progress", () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  test.each([
    [{ json: true, stream: tty, env: {} }, "json"],
    [{ json: false, stream: tty, env: {} }, "tty"],
    [{ json: false, stream: tty, env: { CI: "true" } }, "plain"],
    [{ json: false, stream: tty, env: { CI: "false" } }, "tty"],
    [{ json: false, stream: tty, env: { TERM: "dumb" } }, "plain"],
    [{ json: false, stream: pipe, env: {} }, "plain"],
  ])("GIVEN %j WHEN choosing THEN progress is %s", (inputs, mode) => {
    expect(chooseOutputMode(inputs)).toBe(mode);
  });
});

describe("progress output", () => {
  test("GIVEN plain mode WHEN items change THEN there is one line per change, repeats left out", () => {
    const out = capture();
    const progress = createProgress("plain", out.stream);
    progress.item("i-1", "imaging", "imaging ami-1");
    progress.item("i-1", "imaging", "imaging ami-1");
    progress.item("i-2", "queued", "queued");
    progress.warn("careful");
    progress.close();
    expect(out.text()).toBe("i-1: imaging ami-1\ni-2: queued\nwarning: careful\n");
  });

  test("GIVEN json mode WHEN events happen THEN there is one JSON object per event", () => {
    const out = capture();
    const progress = createProgress("json", out.stream, () => Date.UTC(2024, 5, 1));
    progress.item("i-1", "copying", "copying ami-1 → ami-2");
    progress.note("hello");
    expect(out.text().trim().split("\n").map((line) => JSON.parse(line))).toEqual([
      { time: "2024-06-01T00:00:00.000Z", event: "item", id: "i-1", phase: "copying", detail: "copying ami-1 → ami-2" },
      { time: "2024-06-01T00:00:00.000Z", event: "note", message: "hello" },
    ]);
  });

  test("GIVEN a terminal WHEN items change THEN their lines are redrawn in place with the time in the current phase", () => {
    const out = capture();
    let now = 0;
    const progress = createProgress("tty", out.stream, () => now);
    progress.item("i-1", "imaging", "imaging ami-1");
    now = 65_000;
    progress.item("i-2", "queued", "queued");
    progress.close();
    const text = out.text();
    expect(text).toContain("\x1b[1A\x1b[J");
    expect(text).toContain("i-1  imaging ami-1 (1m05s)");
    expect(text).toContain("i-2  queued\n");
  });

  test.each([
    [0, "0s"],
    [59_400, "59s"],
    [61_000, "1m01s"],
    [3_723_000, "1h02m"],
  ])("GIVEN %i ms WHEN formatted THEN it reads %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
