"""Enumerate every URL pattern of the project with sample arguments.

Tests walk this list instead of hand-listing URLs, so a new page is covered
(or fails a test) the day it is added.
"""

import re
from collections.abc import Callable
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


# Given a URL name and an argument's name, the value to put there (None: a sample).
Values = Callable[[str, str], "str | None"]


def _no_values(name: str, kwarg: str) -> None:
    return None


def _fill_route(route: str, name: str = "", values: Values = _no_values) -> str:
    def replace(match: re.Match[str]) -> str:
        converter = match.group(1) or "str"
        given = values(name, match.group(2))
        return given if given is not None else SAMPLE_BY_CONVERTER.get(converter, "1")

    return re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)


def _fill_regex(regex: str, name: str = "", values: Values = _no_values) -> str:
    text = regex.lstrip("^").rstrip("$").replace("\\Z", "")

    def replace(match: re.Match[str]) -> str:
        given = values(name, match.group(1))
        if given is not None:
            return given
        body = match.group(2)
        if "|" in body and re.fullmatch(r"[\w|]+", body):
            return body.split("|")[0]
        return "1"

    # Named groups, innermost content without nested parentheses.
    text = re.sub(r"\(\?P<(\w+)>([^()]*)\)", replace, text)
    text = re.sub(r"\(\?:([^()]*)\)\??", lambda m: m.group(1).split("|")[0], text)
    return text.replace("\\", "")


def _fill(pattern: object, name: str = "", values: Values = _no_values) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern._route), name, values)
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern._regex, name, values)
    raise TypeError(pattern)


def _walk(patterns: list, prefix: str, namespace: str, values: Values) -> list[Endpoint]:
    found: list[Endpoint] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            part = _fill(entry.pattern)
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            found.extend(_walk(entry.url_patterns, prefix + part, inner or "", values))
        elif isinstance(entry, URLPattern):
            bare = _fill(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or bare)
            part = _fill(entry.pattern, name, values)
            found.append(Endpoint(name=name, path="/" + prefix + part))
    return found


def all_endpoints(values: Values = _no_values) -> list[Endpoint]:
    """Every URL pattern, its arguments filled by `values` (given the URL name and the
    argument's name) where it knows them, else with samples."""
    endpoints = _walk(get_resolver().url_patterns, "", "", values)
    for endpoint in endpoints:
        resolve(endpoint.path)  # a sample that does not resolve is a bug in this module
    return endpoints
