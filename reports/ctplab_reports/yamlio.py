"""YAML reading and writing that keeps scenario values exactly as the simulator reads them.

PyYAML's safe loader follows YAML 1.1: it turns ``2026-06-01T00:00:00Z`` into a ``datetime``
and ``yes``/``on`` into booleans, and its dumper would quote them on the way back. Scenario
files are read by yaml-cpp, which leaves such scalars as text. The loader and dumper here drop
the timestamp resolver and accept only ``true``/``false`` as booleans, so a value loaded and
written back is the same token the simulator saw.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

import yaml

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


def _restricted_resolvers(base: dict) -> dict:
    out: dict = {}
    for first, resolvers in base.items():
        kept = []
        for tag, regexp in resolvers:
            if tag == _TIMESTAMP:
                continue
            if tag == _BOOL:
                regexp = _BOOL_RE
            kept.append((tag, regexp))
        out[first] = kept
    return out


class Loader(yaml.SafeLoader):
    """Safe loader without timestamps and with YAML 1.2 booleans."""


class Dumper(yaml.SafeDumper):
    """Safe dumper matching :class:`Loader`; multi-line strings as literal blocks."""


Loader.yaml_implicit_resolvers = _restricted_resolvers(yaml.SafeLoader.yaml_implicit_resolvers)
Dumper.yaml_implicit_resolvers = _restricted_resolvers(yaml.SafeDumper.yaml_implicit_resolvers)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


Dumper.add_representer(str, _represent_str)


def load(text: str) -> Any:
    """One YAML document as Python values."""
    return yaml.load(text, Loader=Loader)


def load_all(text: str) -> list[Any]:
    """Every document of a multi-document stream (empty documents are ``None``)."""
    return list(yaml.load_all(text, Loader=Loader))


def compose(text: str) -> yaml.Node | None:
    """The node tree of one document, with marks."""
    return yaml.compose(text, Loader=Loader)


def compose_all(text: str) -> Iterator[yaml.Node]:
    """Node trees of every document of a stream."""
    return yaml.compose_all(text, Loader=Loader)


def construct(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree of one document and its Python value, from one parse."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, value


def dump(value: Any) -> str:
    """A document in block style, keys in their order, no line wrapping."""
    return yaml.dump(value, Dumper=Dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=1 << 20)


def dump_all(values: list[Any]) -> str:
    """Several documents separated by ``---``."""
    return yaml.dump_all(values, Dumper=Dumper, sort_keys=False, default_flow_style=False,
                         allow_unicode=True, width=1 << 20, explicit_start=len(values) > 1)


_PLAIN_SAFE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./+\-]*")


def scalar_text(value: Any) -> str | None:
    """``value`` written as one YAML scalar token that is valid in block and flow context.

    ``None`` when the value is not a scalar or cannot be written on one line.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = yaml.dump(value, Dumper=Dumper).split("\n", 1)[0]
        return text
    if isinstance(value, str):
        if "\n" in value or "\r" in value:
            return None
        if _PLAIN_SAFE.fullmatch(value) and load(value) == value:
            return value
        return json.dumps(value)
    return None
