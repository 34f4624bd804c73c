"""Where webhooks may be sent: https to public addresses; never link-local or cloud metadata addresses.

Hosts named in `PULSE_WEBHOOK_ALLOWED_HOSTS` may also be called over plain http and at private addresses
(tests, local use). Names are checked again when they are resolved, at each delivery, so a name that
comes to point inside the network is refused then (docs/webhooks.md).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Cloud metadata services: by name, and by address where they sit outside the link-local ranges.
_METADATA_NAMES = {
    "metadata",
    "metadata.google.internal",
    "metadata.goog",
    "instance-data",
    "instance-data.ec2.internal",
}
_METADATA_ADDRESSES = {
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
}


def _literal(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def never_reachable(address: IpAddress) -> bool:
    """Link-local (169.254/16, fe80::/10, where metadata services answer), metadata and unspecified addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_link_local or address.is_unspecified or address in _METADATA_ADDRESSES


def address_refused(address: IpAddress, host: str, allowed_hosts: Collection[str]) -> bool:
    """Whether a delivery to `host` may not connect to `address`: never to link-local or metadata addresses,
    and to addresses that are not public only for allowed hosts."""
    if never_reachable(address):
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global and host.lower() not in allowed_hosts


def url_problem(url: str, allowed_hosts: Collection[str]) -> str | None:
    """Why a webhook URL is refused, or None when it may be registered."""
    if len(url) > MAX_URL_LENGTH:
        return f"url must be at most {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "url is not a valid URL"
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        return "url must be an absolute https URL"
    if parts.username is not None or parts.password is not None:
        return "url must not carry credentials"
    if parts.fragment:
        return "url must not have a fragment"
    if port == 0:
        return "url has no valid port"
    if parts.scheme == "http" and host not in allowed_hosts:
        return "url must use https"
    address = _literal(host)
    if host in _METADATA_NAMES or (host.endswith(".internal") and host not in allowed_hosts):
        return "url must not point at a cloud metadata or internal name"
    if address is not None and address_refused(address, host, allowed_hosts):
        return "url must not point at a link-local, metadata, private or loopback address"
    if address is None and (host == "localhost" or host.endswith(".localhost")) and host not in allowed_hosts:
        return "url must not point at this machine"
    return None
