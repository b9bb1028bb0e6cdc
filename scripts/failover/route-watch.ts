/**
 * Watches a region's transit gateway route tables while something flips them: every interval it
 * reads the routes of the design (SearchTransitGatewayRoutes, one call per table) and records
 * whether any workload CIDR had no route, and when every route first pointed where it should.
 * The benchmark and the zero-gap test measure a flip with it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { EC2Client } from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology";
import { TransitRoute, movesOnFailover, transitRoutes } from "../../config/transit-routes";
import { RegionTransit, findRegionTransit } from "../lib/route-inspection";
import { checkRoutes, readDesignRoutes } from "./verify-routes";

export interface WatchResult {
  /** Epoch ms of the first sample. */
  readonly startedAt: number;
  readonly samples: number;
  /** Samples in which at least one workload CIDR had no route in one of the tables read. */
  readonly gapSamples: number;
  /** The workload CIDRs seen without a route, with the table they were missing from. */
  readonly gaps: readonly string[];
  /** Milliseconds from the watch's start until every moving route pointed where it should; undefined: never. */
  readonly convergedAfterMs?: number;
  /** Samples that failed (the API did not answer); not counted as gaps. */
  readonly failedSamples: number;
}

export interface RouteWatch {
  /** Stops sampling and returns what was seen. */
  stop(): Promise<WatchResult>;
}

export interface WatchOptions {
  readonly topology: Topology;
  readonly role: RegionRole;
  /** The region that should end up active. */
  readonly toRegion: string;
  readonly ec2: EC2Client;
  /** @default 20 ms between samples */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/** Starts watching at once; the first sample is taken before this resolves. */
export async function watchRoutes(options: WatchOptions): Promise<RouteWatch> {
  const now = options.now ?? Date.now;
  const started = now();
  const design = transitRoutes(options.topology, options.role);
  const moving = design.filter(movesOnFailover);
  const workloadCidrs = new Set(options.topology.workloads.map((w) => w.cidr));
  // Only the routes whose destination is a workload CIDR can leave a workload unreachable.
  const watched = moving.filter((r) => workloadCidrs.has(r.cidr));
  const transit: RegionTransit = await findRegionTransit(options.ec2, options.topology, options.role);
  const active = options.topology[options.role].region === options.toRegion;
  const result = { samples: 0, gapSamples: 0, failedSamples: 0, gaps: new Set<string>(), convergedAfterMs: undefined as number | undefined };
  let stopping = false;

  const sample = async (routes: readonly TransitRoute[]) => {
    try {
      const states = await readDesignRoutes(options.ec2, transit, routes);
      result.samples++;
      const missing = watched.filter((r) => (states.get(r.id) ?? { kind: "missing" }).kind === "missing");
      if (missing.length) {
        result.gapSamples++;
        for (const route of missing) result.gaps.add(`${route.cidr} (${route.table})`);
      }
      if (result.convergedAfterMs === undefined && checkRoutes(moving, transit, states, active).mismatches.length === 0) result.convergedAfterMs = now() - started;
    } catch {
      result.failedSamples++;
    }
  };
  await sample(moving);
  const loop = (async () => {
    while (!stopping) {
      await sleep(options.intervalMs ?? 20);
      if (!stopping) await sample(moving);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return { startedAt: started, samples: result.samples, gapSamples: result.gapSamples, failedSamples: result.failedSamples, gaps: [...result.gaps], convergedAfterMs: result.convergedAfterMs };
    },
  };
}
