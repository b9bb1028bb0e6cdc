/**
 * IAM policy documents: the JSON shape, and how grants (actions on resources under a condition)
 * become statements. Grants with the same resources and condition share one statement, its
 * actions listed one by one and sorted, so the document is stable and reads like a review list.
 */
import { IamAction } from "./aws-call";

export type Condition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly IamAction[];
  readonly Resource: readonly string[];
  readonly Condition?: Condition;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export interface Grant {
  /** Names the statement: what the grant is for, e.g. `TopologyTransitGatewayRoutes`. */
  readonly sid: string;
  readonly actions: readonly IamAction[];
  readonly resources: readonly string[];
  readonly condition?: Condition;
}

export function policyDocument(grants: readonly Grant[]): PolicyDocument {
  const merged = new Map<string, { sid: string; actions: Set<IamAction>; resources: string[]; condition?: Condition }>();
  for (const grant of grants) {
    const resources = [...new Set(grant.resources)].sort();
    const key = JSON.stringify([grant.sid, resources, grant.condition ?? null]);
    const entry = merged.get(key) ?? { sid: grant.sid, actions: new Set<IamAction>(), resources, condition: grant.condition };
    for (const action of grant.actions) entry.actions.add(action);
    merged.set(key, entry);
  }
  const sids = new Map<string, number>();
  const statements = [...merged.values()].map((entry): PolicyStatement => {
    const seen = (sids.get(entry.sid) ?? 0) + 1;
    sids.set(entry.sid, seen);
    return {
      Sid: seen === 1 ? entry.sid : `${entry.sid}${seen}`,
      Effect: "Allow",
      Action: [...entry.actions].sort(),
      Resource: entry.resources,
      ...(entry.condition ? { Condition: entry.condition } : {}),
    };
  });
  return { Version: "2012-10-17", Statement: statements };
}

/** Every action a document allows, sorted. */
export function allowedActions(document: PolicyDocument): IamAction[] {
  return [...new Set(document.Statement.flatMap((s) => s.Action))].sort();
}
