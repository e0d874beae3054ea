"""Enumerate every URL pattern of the project with sample arguments.

Tests walk this list instead of hand-listing URLs, so a new page is covered
(or fails a test) the day it is added.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLE_BY_CONVERTER = {
    "int": "1",
    "str": "sample",
    "slug": "sample",
    "path": "sample",
    "uuid": "00000000-0000-0000-0000-000000000001",
}


@dataclass(frozen=True)
class Endpoint:
    name: str  # "namespace:name", or the route when unnamed
    path: str


def _fill_route(route: str) -> str:
    def replace(match: re.Match[str]) -> str:
        converter = match.group(1) or "str"
        return SAMPLE_BY_CONVERTER.get(converter, "1")

    return re.sub(r"<(?:(\w+):)?\w+>", replace, route)


def _fill_regex(regex: str) -> str:
    text = regex.lstrip("^").rstrip("$").replace("\\Z", "")

    def replace(match: re.Match[str]) -> str:
        body = match.group(2)
        if "|" in body and re.fullmatch(r"[\w|]+", body):
            return body.split("|")[0]
        return "1"

    # Named groups, innermost content without nested parentheses.
    text = re.sub(r"\(\?P<(\w+)>([^()]*)\)", replace, text)
    text = re.sub(r"\(\?:([^()]*)\)\??", lambda m: m.group(1).split("|")[0], text)
    return text.replace("\\", "")


def _fill(pattern: object) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern._route))
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern._regex)
    raise TypeError(pattern)


def _walk(patterns: list, prefix: str, namespace: str) -> list[Endpoint]:
    found: list[Endpoint] = []
    for entry in patterns:
        part = _fill(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            found.extend(_walk(entry.url_patterns, prefix + part, inner or ""))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or part)
            found.append(Endpoint(name=name, path="/" + prefix + part))
    return found


def all_endpoints() -> list[Endpoint]:
    endpoints = _walk(get_resolver().url_patterns, "", "")
    for endpoint in endpoints:
        resolve(endpoint.path)  # a sample that does not resolve is a bug in this module
    return endpoints
