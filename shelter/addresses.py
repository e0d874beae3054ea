"""The visitor's network address, for lockouts and the audit trail.

Behind a reverse proxy REMOTE_ADDR is the proxy's own address: counted per that
address, one attacker's failures would lock a user out for everybody. With
TRUSTED_PROXY_COUNT=N the address is the Nth from the right of X-Forwarded-For,
the one the outermost trusted proxy saw; anything further left was written by the
client and is ignored.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Fewer entries than proxies: the request did not come through them all.
        address = forwarded[-proxies] if len(forwarded) >= proxies else None
    try:
        return str(ip_address(address)) if address else None
    except ValueError:
        return None
