import { Fn, Op, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { Ec2TransitGatewayRoute } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route";
import { TransitRoute, TransitTarget, TransitRouteTable, movesOnFailover } from "../config/transit-routes";

/** Where each kind of target is, as attachment ids (tokens) in this region. */
export interface RouteTargetIds {
  readonly managementVpc: string;
  readonly workloadVpc?: string;
  readonly peering: string;
  /** By connection name. */
  readonly connections: Readonly<Record<string, string>>;
}

export interface FailoverRoutesProps {
  /** This region's routes (config/transit-routes.ts `transitRoutes`). */
  readonly routes: readonly TransitRoute[];
  /** The transit gateway route table ids, by table. */
  readonly routeTableIds: Readonly<Record<TransitRouteTable, string>>;
  readonly targets: RouteTargetIds;
  /** This region's code. */
  readonly region: string;
  /** The variable naming the active region (one of the pair's two regions). */
  readonly activeRegion: TerraformVariable;
}

/**
 * One region's static transit gateway routes, as the routing design lists them. A route that
 * moves on failover gets both of its targets behind `active_region`; a failover is that one
 * variable changing.
 */
export class FailoverRoutes extends Construct {
  /** Every route, by its design id (e.g. `clients-workload-app`). */
  readonly routes: Readonly<Record<string, Ec2TransitGatewayRoute>>;

  constructor(scope: Construct, id: string, props: FailoverRoutesProps) {
    super(scope, id);
    const active = Op.eq(props.activeRegion.stringValue, props.region);
    const attachmentOf = (target: TransitTarget): string | undefined => {
      switch (target.kind) {
        case "management-vpc":
          return props.targets.managementVpc;
        case "workload-vpc":
          if (!props.targets.workloadVpc) throw new Error(`FailoverRoutes ${id}: a route targets the workload VPC, which this region has no attachment for.`);
          return props.targets.workloadVpc;
        case "peering":
          return props.targets.peering;
        case "connection": {
          const attachment = props.targets.connections[target.name];
          if (!attachment) throw new Error(`FailoverRoutes ${id}: no attachment for the on-premises connection '${target.name}'.`);
          return attachment;
        }
        case "blackhole":
          return undefined;
      }
    };

    const routes: Record<string, Ec2TransitGatewayRoute> = {};
    for (const route of props.routes) {
      const whileActive = attachmentOf(route.whileActive);
      const whilePassive = attachmentOf(route.whilePassive);
      const moves = movesOnFailover(route);
      // Every argument is ForceNew in the provider: through terraform a move replaces the route
      // (delete, then create). The failover command moves it in place first (ReplaceTransitGatewayRoute),
      // after which terraform reads the new target and has nothing left to change.
      routes[route.id] = new Ec2TransitGatewayRoute(this, route.id, {
        transitGatewayRouteTableId: props.routeTableIds[route.table],
        destinationCidrBlock: route.cidr,
        transitGatewayAttachmentId: moves ? Token.asString(Fn.conditional(active, whileActive ?? Token.nullValue(), whilePassive ?? Token.nullValue())) : whileActive,
        blackhole: moves ? conditionalBlackhole(active, route) : route.whileActive.kind === "blackhole" || undefined,
      });
    }
    this.routes = routes;
  }
}

function conditionalBlackhole(active: ReturnType<typeof Op.eq>, route: TransitRoute) {
  const activeHole = route.whileActive.kind === "blackhole";
  const passiveHole = route.whilePassive.kind === "blackhole";
  if (activeHole === passiveHole) return activeHole || undefined;
  return passiveHole ? Op.not(active) : active;
}
