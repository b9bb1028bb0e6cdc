/**
 * Benchmark of `ami copy` for 20 instances against a fresh emulator: wall time, DescribeImages
 * calls (counted by SDK middleware on the real clients), and peak concurrency (API calls in
 * flight, instances in progress, copies in progress).
 *
 * Usage: tsx bench/ami-copy.ts [--instances 20] [--concurrency 5] [--poll-interval 0.5]
 * New images stay pending for REGIONPAIR_EMULATOR_IMAGE_PENDING_SECONDS (default 1) in the emulator.
 */
import { parseArgs } from "node:util";
import { EC2Client } from "@aws-sdk/client-ec2";
import { AmiCopyOptions, runAmiCopy } from "../scripts/ami/copy-images";
import { Ec2Clients } from "../scripts/lib/aws";
import { EMULATOR_CREDENTIALS, startEmulator } from "../scripts/lib/emulator";
import { ItemPhase, Progress } from "../scripts/lib/progress";
import { createNetwork, launchInstances, registerAmi } from "../__tests__/support/ec2-fixtures";

const SOURCE = "us-east-1";
const TARGET = "eu-west-1";

/** Counts calls per operation and Region, and the most calls in flight at once. */
class CallCounter {
  readonly calls = new Map<string, number>();
  private inFlight = 0;
  peakInFlight = 0;

  attach(client: EC2Client, region: string): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const key = `${context.commandName?.replace(/Command$/, "")} ${region}`;
        this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
        this.inFlight += 1;
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
        try {
          return await next(args);
        } finally {
          this.inFlight -= 1;
        }
      },
      { step: "initialize", name: "benchCallCounter" },
    );
  }

  count(operation: string): number {
    return [...this.calls].filter(([key]) => key.startsWith(`${operation} `)).reduce((sum, [, n]) => sum + n, 0);
  }
}

/** Tracks how many instances are in each phase, to find the most copies in progress at once. */
class PhaseTracker implements Progress {
  private readonly phases = new Map<string, ItemPhase>();
  peakCopying = 0;

  item(id: string, phase: ItemPhase): void {
    this.phases.set(id, phase);
    this.peakCopying = Math.max(this.peakCopying, [...this.phases.values()].filter((p) => p === "copying").length);
  }
  note(): void {}
  warn(message: string): void {
    process.stderr.write(`warning: ${message}\n`);
  }
  close(): void {}
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { instances: { type: "string", default: "20" }, concurrency: { type: "string", default: "5" }, "poll-interval": { type: "string", default: "0.5" } },
  });
  const instanceCount = Number(values.instances);
  const emulator = await startEmulator();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey });
  const counter = new CallCounter();
  const clients = new Ec2Clients({ endpoints: { [SOURCE]: emulator.endpoint, [TARGET]: emulator.endpoint }, onClientCreated: (c, r) => counter.attach(c, r) });
  try {
    // Seeding uses its own client so that only the copy's calls are counted.
    const seed = new EC2Client({ region: SOURCE, endpoint: emulator.endpoint, credentials: EMULATOR_CREDENTIALS });
    const { subnetId } = await createNetwork(seed);
    await launchInstances(seed, {
      imageId: await registerAmi(seed, true),
      subnetId,
      instanceType: "m5.large",
      count: instanceCount,
      tags: [{ Key: "dr:protect", Value: "true" }],
    });
    seed.destroy();

    const options: AmiCopyOptions = {
      sourceRegion: SOURCE,
      targetRegion: TARGET,
      selection: { instanceIds: [], tags: [{ key: "dr:protect", value: "true" }] },
      reboot: true,
      captureId: "bench",
      concurrency: Number(values.concurrency),
      timeoutMs: 10 * 60_000,
      pollIntervalMs: Number(values["poll-interval"]) * 1000,
    };
    const tracker = new PhaseTracker();
    const started = process.hrtime.bigint();
    const result = await runAmiCopy(options, { clients, progress: tracker });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const copied = result.instances.filter((i) => i.status === "copied").length;
    const report = {
      instances: instanceCount,
      copied,
      concurrency: options.concurrency,
      pollIntervalSeconds: options.pollIntervalMs / 1000,
      imagePendingSeconds: Number(process.env.REGIONPAIR_EMULATOR_IMAGE_PENDING_SECONDS ?? 1),
      wallSeconds: Number(wallSeconds.toFixed(2)),
      describeImagesCalls: counter.count("DescribeImages"),
      describeImagesCallsByRegion: Object.fromEntries([...counter.calls].filter(([k]) => k.startsWith("DescribeImages ")).map(([k, n]) => [k.split(" ")[1], n])),
      pollRounds: result.stats.pollRounds,
      peakApiCallsInFlight: counter.peakInFlight,
      peakInstancesInProgress: result.stats.peakInstancesInProgress,
      peakCopiesInProgress: tracker.peakCopying,
      calls: Object.fromEntries([...counter.calls].sort()),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (copied !== instanceCount) process.exitCode = 1;
  } finally {
    clients.destroy();
    await emulator.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
