"""The address used for lockouts and the audit trail, with and without a reverse proxy."""

import pytest
from django.test import RequestFactory

from shelter.addresses import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1", "10.0.0.1"),
        (1, "198.51.100.1, 203.0.113.9", "10.0.0.1", "203.0.113.9"),
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.2", "10.0.0.1", "203.0.113.9"),
        (1, "", "10.0.0.1", None),
        (1, "not-an-address", "10.0.0.1", None),
    ],
    ids=["no-proxy-ignores-header", "one-proxy", "two-proxies", "header-missing", "garbage"],
)
def test_the_client_address_trusts_only_what_the_proxies_wrote(
    settings, proxies: int, forwarded: str, remote: str, expected: str | None
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected
