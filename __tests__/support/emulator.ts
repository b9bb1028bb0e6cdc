/** Jest helpers for tests that need a live emulator. */
import { EC2Client } from "@aws-sdk/client-ec2";
import { EMULATOR_CREDENTIALS, RunningEmulator, startEmulator } from "../../scripts/lib/emulator";

export interface EmulatorHandle {
  /** The running emulator; set in beforeAll. */
  readonly current: RunningEmulator;
  ec2(region: string): EC2Client;
}

/** Starts one patched moto_server for the enclosing describe block and stops it afterwards. */
export function useEmulator(): EmulatorHandle {
  let emulator: RunningEmulator | undefined;
  const clients = new Map<string, EC2Client>();
  beforeAll(async () => {
    emulator = await startEmulator();
  }, 60_000);
  afterAll(async () => {
    for (const client of clients.values()) client.destroy();
    await emulator?.stop();
  }, 30_000);
  return {
    get current() {
      if (!emulator) throw new Error("emulator not started");
      return emulator;
    },
    ec2(region: string) {
      const existing = clients.get(region);
      if (existing) return existing;
      const client = new EC2Client({ region, endpoint: this.current.endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 2 });
      clients.set(region, client);
      return client;
    },
  };
}
