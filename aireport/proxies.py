"""Where a request comes from, behind PROXY_COUNT reverse proxies (django-ipware's settings).

Each proxy adds the address it received the request from to X-Forwarded-For; the nearest one
is REMOTE_ADDR. The first proxy (nginx in deploy/nginx/aireport.conf) overwrites whatever the
client sent, so the header holds exactly PROXY_COUNT addresses and the client's is the first.
django-ipware counts only the proxies listed after the client, one fewer than PROXY_COUNT, and
with that count checks the length of the chain: a longer header (a forged prefix) does not
yield an address from it. Without proxies the header is ignored: anybody could send it.

django-axes (login throttling) and comment flood control (comments.readers.client_ip) both
read these settings, so they always agree on who a client is.
"""


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
