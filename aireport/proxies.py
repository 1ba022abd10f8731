"""Where a request comes from, behind PROXY_COUNT reverse proxies (django-ipware's settings).

Each proxy adds the address it received the request from to X-Forwarded-For; the nearest one
is REMOTE_ADDR. The first proxy (nginx in deploy/nginx/aireport.conf) overwrites whatever the
client sent, so the header holds exactly PROXY_COUNT addresses and the client's is the first.
django-ipware counts only the proxies listed after the client, one fewer than PROXY_COUNT, and
with that count checks the length of the chain: a longer header (a forged prefix) does not
yield an address from it. Without proxies the header is ignored: anybody could send it.

django-axes (login throttling) and comment flood control (`client_ip` below) both
read these settings, so they always agree on who a client is.
"""

import ipaddress

from django.conf import settings
from ipware import get_client_ip


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


def client_ip(request) -> str | None:
    """The client's address; behind PROXY_COUNT trusted proxies, the one they saw.

    Found by django-ipware with the same settings django-axes uses (above).
    """
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
