/**
 * Progress of long work, one line per item (an instance, an image, a stack): redrawn in place on a
 * terminal, one plain line per change in CI logs and pipes, JSON lines with `--json`. Progress
 * goes to stderr so that stdout carries only the result.
 */
import { WriteStream } from "node:tty";

export type OutputMode = "tty" | "plain" | "json";

/**
 * Where an item (an instance, an image, a stack) is in its work; `detail` says the rest in words.
 * `initializing`, `planning`, `showing` and `applying` are terraform's phases for a stack.
 */
export type ItemPhase =
  | "queued"
  | "checking"
  | "imaging"
  | "copying"
  | "stopping"
  | "modifying"
  | "starting"
  | "initializing"
  | "planning"
  | "showing"
  | "applying"
  | "done"
  | "skipped"
  | "failed";

export interface Progress {
  /** The item's new phase, with a human detail such as `copying ami-1 → ami-2 in eu-west-1`. */
  item(id: string, phase: ItemPhase, detail: string): void;
  /** A line of information not tied to one item. */
  note(message: string): void;
  warn(message: string): void;
  /** Stops redrawing; call once at the end, also after a failure. */
  close(): void;
}

export interface OutputModeInputs {
  readonly json: boolean;
  readonly stream?: NodeJS.WriteStream;
  readonly env?: NodeJS.ProcessEnv;
}

/** `--json` wins; otherwise redraw in place only on an interactive terminal outside CI. */
export function chooseOutputMode({ json, stream = process.stderr, env = process.env }: OutputModeInputs): OutputMode {
  if (json) return "json";
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  return stream.isTTY && !ci && env.TERM !== "dumb" ? "tty" : "plain";
}

export function createProgress(mode: OutputMode, stream: NodeJS.WritableStream = process.stderr, now: () => number = Date.now): Progress {
  if (mode === "json") return new JsonLinesProgress(stream, now);
  if (mode === "tty") return new TerminalProgress(stream as NodeJS.WriteStream, now);
  return new PlainProgress(stream);
}

/** Discards everything; for callers that report on their own. */
export const SILENT_PROGRESS: Progress = { item() {}, note() {}, warn() {}, close() {} };

class PlainProgress implements Progress {
  private readonly last = new Map<string, string>();

  constructor(private readonly stream: NodeJS.WritableStream) {}

  item(id: string, _phase: ItemPhase, detail: string): void {
    if (this.last.get(id) === detail) return;
    this.last.set(id, detail);
    this.stream.write(`${id}: ${detail}\n`);
  }

  note(message: string): void {
    this.stream.write(`${message}\n`);
  }

  warn(message: string): void {
    this.stream.write(`warning: ${message}\n`);
  }

  close(): void {}
}

class JsonLinesProgress implements Progress {
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly now: () => number,
  ) {}

  private emit(event: Record<string, unknown>): void {
    this.stream.write(`${JSON.stringify({ time: new Date(this.now()).toISOString(), ...event })}\n`);
  }

  item(id: string, phase: ItemPhase, detail: string): void {
    this.emit({ event: "item", id, phase, detail });
  }

  note(message: string): void {
    this.emit({ event: "note", message });
  }

  warn(message: string): void {
    this.emit({ event: "warning", message });
  }

  close(): void {}
}

const REDRAW_INTERVAL_MS = 1_000;

/** One line per item, rewritten in place with the time spent in the current phase. */
class TerminalProgress implements Progress {
  private readonly items = new Map<string, { phase: ItemPhase; detail: string; since: number }>();
  private drawnLines = 0;
  private closed = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly now: () => number,
  ) {
    this.timer = setInterval(() => this.redraw(), REDRAW_INTERVAL_MS);
    // The elapsed-time ticker must never keep the process alive.
    this.timer.unref();
  }

  item(id: string, phase: ItemPhase, detail: string): void {
    const previous = this.items.get(id);
    const since = previous && previous.phase === phase ? previous.since : this.now();
    this.items.set(id, { phase, detail, since });
    this.redraw();
  }

  note(message: string): void {
    this.above(`${message}\n`);
  }

  warn(message: string): void {
    this.above(`warning: ${message}\n`);
  }

  close(): void {
    if (this.closed) return;
    this.redraw();
    clearInterval(this.timer);
    // Whatever comes next (the result on stdout) is printed below the last drawing, untouched.
    this.closed = true;
    this.drawnLines = 0;
  }

  /** Prints a line above the item block, which is then drawn again below it. */
  private above(text: string): void {
    this.erase();
    this.stream.write(text);
    this.redraw();
  }

  private erase(): void {
    if (this.closed) return;
    if (this.drawnLines > 0) this.stream.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }

  private redraw(): void {
    if (this.closed) return;
    this.erase();
    const columns = (this.stream as WriteStream).columns || 120;
    const width = Math.max(0, ...[...this.items.keys()].map((id) => id.length));
    for (const [id, { phase, detail, since }] of this.items) {
      const running = phase !== "done" && phase !== "failed" && phase !== "skipped" && phase !== "queued";
      const elapsed = running ? ` (${formatDuration(this.now() - since)})` : "";
      this.stream.write(`${`${id.padEnd(width)}  ${detail}${elapsed}`.slice(0, columns - 1)}\n`);
    }
    this.drawnLines = this.items.size;
  }
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
