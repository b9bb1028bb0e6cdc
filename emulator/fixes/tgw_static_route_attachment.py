"""Static transit gateway routes report the attachment they send traffic to.

AWS behaviour: SearchTransitGatewayRoutes (and CreateTransitGatewayRoute's answer) describe a
static route to an attachment with type "static", state "active" and TransitGatewayAttachments =
[{TransitGatewayAttachmentId, ResourceId, ResourceType}]. The state is "blackhole" only for a
route created with Blackhole=true (no attachment) or whose attachment has been deleted. The
filters type, state, route-search.exact-match and attachment.transit-gateway-attachment-id /
attachment.resource-id / attachment.resource-type apply, and MaxResults limits the answer
(the route-search.longest-prefix-match / subnet-of-match / supernet-of-match filters stay
unimplemented, as in moto).
References: EC2 API Reference, SearchTransitGatewayRoutes, CreateTransitGatewayRoute,
TransitGatewayRoute and TransitGatewayRouteAttachment.

moto 5.2.1 instead stores the attachment as a single object where the API has a list, so its
serializer drops it and every static route comes back with no attachment (the Terraform provider
then reads each route as a blackhole and replaces it on every plan); it never turns a route to a
deleted attachment into a blackhole, ignores the attachment.* filters, and fails with HTTP 500 when
MaxResults is given.
"""
from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend

_GONE_STATES = {"deleting", "deleted", "failed", "rejected"}
_TARGET_ID = "_regionpair_attachment_id"


def _render(backend, route):
    """The route as AWS describes it now, from what moto stored when it was created."""
    attachment_id = route.get(_TARGET_ID)
    rendered = {k: v for k, v in route.items() if k not in (_TARGET_ID, "transitGatewayAttachments")}
    if attachment_id is None:
        return rendered
    attachment = backend.transit_gateway_attachments.get(attachment_id)
    target = route["transitGatewayAttachments"][0]
    if attachment is not None:
        target = {
            "transitGatewayAttachmentId": attachment_id,
            "resourceId": attachment.resource_id,
            "resourceType": attachment.resource_type,
        }
    rendered["transitGatewayAttachments"] = [target]
    if rendered["state"] == "active" and (attachment is None or attachment.state in _GONE_STATES):
        rendered["state"] = "blackhole"
    return rendered


def _filter_key(route, name):
    targets = route.get("transitGatewayAttachments") or [{}]
    return {
        "type": [route.get("type")],
        "state": [route.get("state")],
        "route-search.exact-match": [route.get("destinationCidrBlock")],
        "attachment.transit-gateway-attachment-id": [t.get("transitGatewayAttachmentId") for t in targets],
        "attachment.resource-id": [t.get("resourceId") for t in targets],
        "attachment.resource-type": [t.get("resourceType") for t in targets],
    }.get(name)


def apply():
    original_create = TransitGatewayRouteTableBackend.create_transit_gateway_route

    def create_transit_gateway_route(
        self, transit_gateway_route_table_id, destination_cidr_block, transit_gateway_attachment_id=None, blackhole=False
    ):
        route = original_create(
            self, transit_gateway_route_table_id, destination_cidr_block, transit_gateway_attachment_id, blackhole
        )
        target = route.pop("transitGatewayAttachments", None)
        if target is not None and not blackhole:
            route["transitGatewayAttachments"] = [target]
            route[_TARGET_ID] = transit_gateway_attachment_id
        return _render(self, route)

    def search_transit_gateway_routes(self, transit_gateway_route_table_id, filters, max_results=None):
        table = self.transit_gateways_route_tables.get(transit_gateway_route_table_id)
        if table is None:
            return []
        routes = [_render(self, route) for route in table.routes.values()]
        for name, values in (filters or {}).items():
            if _filter_key({}, name) is None:
                continue  # a filter moto does not implement (as before this fix)
            routes = [r for r in routes if set(_filter_key(r, name)) & set(values or [])]
        if max_results:
            routes = routes[: int(max_results)]
        return routes

    TransitGatewayRouteTableBackend.create_transit_gateway_route = create_transit_gateway_route
    TransitGatewayRouteTableBackend.search_transit_gateway_routes = search_transit_gateway_routes
