"""A Site-to-Site VPN connection reports its category and the options it was created with.

AWS behaviour: CreateVpnConnection and DescribeVpnConnections describe a connection with
Category "VPN" (an AWS VPN connection; "VPN-Classic" is the retired kind) and Options: the
requested StaticRoutesOnly (default false: the customer gateway speaks BGP), EnableAcceleration
(default false), TunnelInsideIpVersion (default ipv4), the local and remote network CIDRs of
that IP version (default 0.0.0.0/0, or ::/0 for ipv6), OutsideIpAddressType (default PublicIpv4)
and TransportTransitGatewayAttachmentId when one was given.
References: EC2 API Reference, CreateVpnConnection, VpnConnection (Category),
VpnConnectionOptions and VpnConnectionOptionsSpecification (defaults); Site-to-Site VPN User
Guide, "Site-to-Site VPN connection options" (static or dynamic routing).

moto 5.2.1 instead drops the request's Options and reports neither Category nor Options, so the
Terraform provider reads static_routes_only = false back for every connection and, as the
attribute forces a new resource, plans to replace a static-routes VPN connection on every run.
The tunnel details stay as moto renders them in CustomerGatewayConfiguration (TunnelOptions is
not reported).
"""
from moto.ec2.responses.vpn_connections import VPNConnections

_CATEGORY = "VPN"


def _as_bool(value):
    return value is True or str(value).lower() == "true"


def _options(requested):
    """The connection's Options as AWS reports them: what was asked for, else AWS's defaults."""
    version = requested.get("TunnelInsideIpVersion") or "ipv4"
    any_network = "::/0" if version == "ipv6" else "0.0.0.0/0"
    prefix = "Ipv6" if version == "ipv6" else "Ipv4"
    options = {
        "EnableAcceleration": _as_bool(requested.get("EnableAcceleration", False)),
        "StaticRoutesOnly": _as_bool(requested.get("StaticRoutesOnly", False)),
        f"Local{prefix}NetworkCidr": requested.get(f"Local{prefix}NetworkCidr") or any_network,
        f"Remote{prefix}NetworkCidr": requested.get(f"Remote{prefix}NetworkCidr") or any_network,
        "OutsideIpAddressType": requested.get("OutsideIpAddressType") or "PublicIpv4",
        "TunnelInsideIpVersion": version,
    }
    if requested.get("TransportTransitGatewayAttachmentId"):
        options["TransportTransitGatewayAttachmentId"] = requested["TransportTransitGatewayAttachmentId"]
    return options


def apply():
    original_create = VPNConnections.create_vpn_connection

    def create_vpn_connection(self):
        result = original_create(self)
        connection = result.result["VpnConnection"]
        # Serialized as Category and Options of the VpnConnection from now on, Describe included.
        connection.category = _CATEGORY
        connection.options = _options(self._get_param("Options", {}) or {})
        return result

    VPNConnections.create_vpn_connection = create_vpn_connection
