"""Where a request comes from, behind PROXY_COUNT reverse proxies (django-ipware's settings).

Each proxy adds the address it received the request from to X-Forwarded-For; the nearest one
is REMOTE_ADDR. The first proxy (nginx in deploy/nginx/aireport.conf) overwrites whatever the
client sent, so the header holds exactly PROXY_COUNT addresses and the client's is the first.
django-ipware counts only the proxies listed after the client, one fewer than PROXY_COUNT, and
with that count checks the length of the chain: a longer header (a forged prefix) does not
yield an address from it. Without proxies the header is ignored: anybody could send it.

The header is believed only when the request comes straight from one of the proxies in
FORWARDED_ALLOW_IPS (the setting gunicorn's forwarded_allow_ips reads too; default the
loopback addresses): an app server reachable from elsewhere would otherwise let any client
choose its address for flood control and the login lockout. django-ipware's own list of
trusted proxies checks the addresses inside the header, not the peer, so the peer is checked
here.

django-axes (login throttling, through AXES_CLIENT_IP_CALLABLE) and comment flood control
(the comments app) both call `client_ip`, so they always agree on who a client is.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from ipware import get_client_ip

#: Who may send X-Forwarded-For by default: a proxy on the same machine.
DEFAULT_FORWARDED_ALLOW_IPS = ("127.0.0.1", "::1")


def ipware_settings(proxy_count: int) -> dict:
    if proxy_count <= 0:
        return {
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_PROXY_ORDER": "right-most",
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
        }
    return {
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        "AXES_IPWARE_PROXY_ORDER": "right-most",
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    }


@functools.lru_cache(maxsize=8)
def trusted_networks(allowed: tuple[str, ...]) -> tuple | None:
    """The networks of FORWARDED_ALLOW_IPS (addresses or CIDR); None for "*", as gunicorn."""
    if "*" in allowed:
        return None
    try:
        return tuple(
            ipaddress.ip_network(entry.strip(), strict=False) for entry in allowed if entry.strip()
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"FORWARDED_ALLOW_IPS: {error}") from error


def peer_is_trusted_proxy(meta) -> bool:
    """Whether the connection comes from a proxy allowed to tell us the client's address."""
    networks = trusted_networks(tuple(settings.FORWARDED_ALLOW_IPS))
    if networks is None:
        return True
    try:
        peer = ipaddress.ip_address(meta.get("REMOTE_ADDR", "").strip())
    except ValueError:
        # A UNIX socket (no address): only processes on this machine can connect, and gunicorn
        # trusts such a peer too.
        return True
    if peer.version == 6 and peer.ipv4_mapped:
        peer = peer.ipv4_mapped
    return any(peer in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address: behind PROXY_COUNT trusted proxies the one the first proxy saw,
    otherwise (or from an untrusted peer) the connection's own."""
    if not peer_is_trusted_proxy(request.META):
        return request.META.get("REMOTE_ADDR") or None
    address, _routable = get_client_ip(
        request,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return address


def shorten_ip(value: str | None) -> str | None:
    """Keep only the network part of an address: IPv4 to /24, IPv6 to /48.

    That is enough to spot a flood from one network and too little to identify a person; the
    comments store addresses in this form and the logs print them so.
    """
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
