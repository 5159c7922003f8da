"""Field paths into a scenario: parse, get, set, and write the changed scenario back.

A path names one field of a scenario YAML document::

    duration
    network.latency
    populations[1].clients                       # list index
    populations[name=bots].clients               # list item whose `name` is "bots"
    resources[1].inline[kind=ClientTrafficPolicy,name=limit].spec.connection.connectionLimit.value

Selectors ``[key=value,...]`` pick the one list item whose fields equal the given values
(``key`` may itself be dotted, ``metadata.name=limit``; ``name`` also matches a Kubernetes
object's ``metadata.name``). A path may continue into a resource's manifests: below
``resources[i].inline`` (or ``resources[i].file``) the documents of that manifest text form a
list, so ``inline[kind=ClientTrafficPolicy]`` selects one document. Setting a field inside a
``file`` resource turns that resource into an ``inline`` one in the written scenario.

Writing back keeps the scenario text as it was wherever possible: when every change replaces
one scalar by another, only those tokens are replaced (comments, layout and line numbers stay,
inside ``inline: |`` blocks too), and the result is checked by parsing it again. Otherwise the
document is written out anew from its values.
"""
from __future__ import annotations

import copy
import difflib
import json
import os
import re
from dataclasses import dataclass
from typing import Any, Sequence

import yaml

from . import yamlio

# --------------------------------------------------------------------------- path syntax


@dataclass(frozen=True)
class Key:
    """A mapping key: ``.name``."""

    name: str


@dataclass(frozen=True)
class Index:
    """A list position: ``[3]``."""

    index: int


@dataclass(frozen=True)
class Select:
    """A list item chosen by its fields: ``[kind=Gateway,name=edge]``."""

    conditions: tuple[tuple[tuple[str, ...], str], ...]


Segment = Key | Index | Select


class PathError(ValueError):
    """A path that is malformed or names nothing in the scenario."""


_KEY_RE = re.compile(r"[A-Za-z0-9_\-]+")


def parse_path(text: str) -> tuple[Segment, ...]:
    """Split ``text`` into segments; :class:`PathError` names the offending character."""
    if not isinstance(text, str) or not text:
        raise PathError("a path must be a non-empty string")
    segments: list[Segment] = []
    pos = 0
    expect_key = True
    while pos < len(text):
        if expect_key:
            m = _KEY_RE.match(text, pos)
            if not m:
                raise PathError(f'path "{text}": expected a field name at column {pos + 1}')
            segments.append(Key(m.group(0)))
            pos = m.end()
            expect_key = False
            continue
        ch = text[pos]
        if ch == ".":
            expect_key = True
            pos += 1
            if pos == len(text):
                raise PathError(f'path "{text}": ends with "."')
        elif ch == "[":
            end = text.find("]", pos)
            if end < 0:
                raise PathError(f'path "{text}": "[" at column {pos + 1} is not closed')
            segments.append(_parse_selector(text, text[pos + 1:end], pos))
            pos = end + 1
        else:
            raise PathError(f'path "{text}": unexpected "{ch}" at column {pos + 1}')
    return tuple(segments)


def _parse_selector(path: str, body: str, pos: int) -> Segment:
    body = body.strip()
    if re.fullmatch(r"\d+", body):
        return Index(int(body))
    if not body:
        raise PathError(f'path "{path}": empty "[]" at column {pos + 1}')
    conditions = []
    for part in body.split(","):
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise PathError(f'path "{path}": selector "[{body}]" at column {pos + 1} wants '
                            "an index or key=value conditions")
        keys = tuple(key.split("."))
        if not all(_KEY_RE.fullmatch(k) for k in keys):
            raise PathError(f'path "{path}": bad field name "{key}" in selector "[{body}]"')
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        conditions.append((keys, value))
    return Select(tuple(conditions))


def format_path(segments: Sequence[Segment]) -> str:
    """The text form of ``segments``."""
    out = ""
    for seg in segments:
        if isinstance(seg, Key):
            out += ("." if out else "") + seg.name
        elif isinstance(seg, Index):
            out += f"[{seg.index}]"
        else:
            out += "[" + ",".join(".".join(k) + "=" + v for k, v in seg.conditions) + "]"
    return out


def default_name(segments: Sequence[Segment]) -> str:
    """A short label for a path: its last two names (selector values count as names)."""
    names: list[str] = []
    for seg in segments:
        if isinstance(seg, Key):
            if seg.name not in ("inline", "file", "spec"):
                names.append(seg.name)
        elif isinstance(seg, Select):
            names.append(seg.conditions[-1][1])
    return ".".join(names[-2:]) if names else format_path(segments)


# --------------------------------------------------------------------------- the document


class Manifests:
    """The documents of a resource's manifest text, standing in for the text while edited."""

    def __init__(self, docs: list[Any], origin: str) -> None:
        self.docs = docs
        self.origin = origin  # "inline" or "file"

    def __deepcopy__(self, memo: dict) -> "Manifests":
        return Manifests(copy.deepcopy(self.docs, memo), self.origin)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Manifests) and self.docs == other.docs


def _scalar_str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def _lookup(item: Any, keys: tuple[str, ...]) -> tuple[bool, Any]:
    cur = item
    for k in keys:
        if isinstance(cur, dict) and k in cur:
            cur = cur[k]
        else:
            return False, None
    return True, cur


def _matches(item: Any, conditions: tuple[tuple[tuple[str, ...], str], ...]) -> bool:
    for keys, want in conditions:
        found, value = _lookup(item, keys)
        if not found and keys == ("name",):
            found, value = _lookup(item, ("metadata", "name"))
        if not found or isinstance(value, (dict, list)) or _scalar_str(value) != want:
            return False
    return True


def _describe_items(items: list[Any]) -> str:
    labels = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            parts = []
            if "kind" in item:
                parts.append(f"kind={item['kind']}")
            name = item.get("name")
            if name is None and isinstance(item.get("metadata"), dict):
                name = item["metadata"].get("name")
            if name is not None:
                parts.append(f"name={name}")
            labels.append(f"[{i}] " + ",".join(parts) if parts else f"[{i}]")
        else:
            labels.append(f"[{i}]")
    return "; ".join(labels) if labels else "none"


@dataclass
class _Step:
    """One concrete step taken: a mapping key or a list index."""

    key: str | int
    into_manifests: bool = False  # the step from a resource entry into its manifest text


class ScenarioDocument:
    """A scenario's text and values; applies path assignments and writes the result."""

    def __init__(self, text: str, base_dir: str, label: str = "scenario.yaml") -> None:
        self.text = text
        self.base_dir = base_dir
        self.label = label
        try:
            self.root_node, self.tree = yamlio.construct(text)
        except yaml.YAMLError as exc:
            raise PathError(f"{label}: not valid YAML: {exc}") from exc
        if not isinstance(self.tree, dict):
            raise PathError(f"{label}: a scenario is a YAML mapping")

    # -- traversal over values ------------------------------------------------------------

    def _walk(self, tree: dict, segments: Sequence[Segment], create: bool,
              path_text: str) -> tuple[Any, Any, list[_Step]]:
        """Follow ``segments`` to the last one; returns (container, key, steps taken)."""
        if not segments:
            raise PathError("empty path")
        cur: Any = tree
        steps: list[_Step] = []
        for pos, seg in enumerate(segments):
            last = pos == len(segments) - 1
            where = format_path(segments[:pos]) or "the scenario"
            if self._is_manifest_text(steps) and isinstance(cur, (str, Manifests)):
                if isinstance(cur, str):
                    cur = self._open_manifests(tree, steps, path_text)
                steps[-1].into_manifests = True
                cur = cur.docs
            if isinstance(seg, Key) and seg.name == "file" and isinstance(cur, dict) \
                    and isinstance(cur.get("inline"), Manifests) and not last:
                seg = Key("inline")  # a file resource opened by an earlier assignment
            if isinstance(seg, Key):
                if not isinstance(cur, dict):
                    raise PathError(f'unknown path "{path_text}": {where} is '
                                    f"{_kind(cur)}, not a mapping with field \"{seg.name}\"")
                if seg.name not in cur:
                    if not create:
                        fields = ", ".join(str(k) for k in cur) or "none"
                        hint = difflib.get_close_matches(seg.name, [str(k) for k in cur], 1)
                        dym = f'; did you mean "{hint[0]}"?' if hint else ""
                        raise PathError(
                            f'unknown path "{path_text}": no field "{seg.name}" in {where} '
                            f"(fields: {fields}){dym}"
                            + ("" if not last else " — set `create: true` to add a field the "
                               "scenario leaves at its default"))
                    if not last:
                        cur[seg.name] = {}
                key: str | int = seg.name
            else:
                if not isinstance(cur, list):
                    raise PathError(f'unknown path "{path_text}": {where} is {_kind(cur)}, '
                                    "not a list")
                if isinstance(seg, Index):
                    if seg.index >= len(cur):
                        raise PathError(f'unknown path "{path_text}": {where} has {len(cur)} '
                                        f"item(s), no [{seg.index}]")
                    key = seg.index
                else:
                    hits = [i for i, item in enumerate(cur) if _matches(item, seg.conditions)]
                    sel = format_path([seg])
                    if not hits:
                        raise PathError(f'unknown path "{path_text}": no item of {where} '
                                        f"matches {sel} (items: {_describe_items(cur)})")
                    if len(hits) > 1:
                        raise PathError(f'ambiguous path "{path_text}": {len(hits)} items of '
                                        f"{where} match {sel} ({', '.join(map(str, hits))}); "
                                        "add a condition")
                    key = hits[0]
            steps.append(_Step(key))
            if last:
                return cur, key, steps
            cur = cur[key]
        raise AssertionError("unreachable")

    @staticmethod
    def _is_manifest_text(steps: list[_Step]) -> bool:
        return (len(steps) == 3 and steps[0].key == "resources" and isinstance(steps[1].key, int)
                and steps[2].key in ("inline", "file"))

    def _open_manifests(self, tree: dict, steps: list[_Step], path_text: str) -> Manifests:
        entry = tree["resources"][steps[1].key]
        if steps[2].key == "inline":
            text, origin = entry["inline"], "inline"
        else:
            rel = entry["file"]
            full = rel if os.path.isabs(rel) else os.path.join(self.base_dir, rel)
            try:
                with open(full, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError as exc:
                raise PathError(f'path "{path_text}": cannot read resource file {rel}: '
                                f"{exc.strerror}") from exc
            origin = "file"
        try:
            docs = yamlio.load_all(text)
        except yaml.YAMLError as exc:
            raise PathError(f'path "{path_text}": resource text is not valid YAML: {exc}') from exc
        manifests = Manifests(docs, origin)
        if origin == "file":
            entry.pop("file")
            steps[2].key = "inline"
        entry["inline"] = manifests
        return manifests

    # -- public API -----------------------------------------------------------------------

    def check(self, path: str | Sequence[Segment], create: bool = False) -> None:
        """Raise :class:`PathError` unless ``path`` can be set in this scenario."""
        segments, text = _segments(path)
        self._walk(copy.deepcopy(self.tree), segments, create, text)

    def get(self, path: str | Sequence[Segment]) -> Any:
        """The value at ``path``."""
        segments, text = _segments(path)
        container, key, _ = self._walk(copy.deepcopy(self.tree), segments, False, text)
        value = container[key] if not isinstance(container, Manifests) else container.docs[key]
        return _plain(value)

    def apply(self, assignments: Sequence[tuple[str | Sequence[Segment], Any, bool]]) -> str:
        """The scenario text with each ``(path, value, create)`` assignment made, in order."""
        tree = copy.deepcopy(self.tree)
        all_steps = []
        for path, value, create in assignments:
            segments, text = _segments(path)
            container, key, steps = self._walk(tree, segments, create, text)
            container[key] = copy.deepcopy(value)
            all_steps.append((steps, value))
        spliced = self._splice(all_steps)
        expected = _normalise(tree)
        if spliced is not None:
            try:
                if _normalise(yamlio.load(spliced)) == expected:
                    return spliced
            except yaml.YAMLError:
                pass
        return yamlio.dump(_plain(tree))

    # -- text splicing --------------------------------------------------------------------

    def _splice(self, changes: list[tuple[list[_Step], Any]]) -> str | None:
        edits: dict[tuple[int, int], str] = {}
        for steps, value in changes:
            token = yamlio.scalar_text(value)
            if token is None:
                return None
            span = self._locate(steps)
            if span is None:
                return None
            edits[span] = token
        ordered = sorted(edits.items())
        for ((_, end), _), ((start, _), _) in zip(ordered, ordered[1:]):
            if end > start:  # overlapping spans
                return None
        out = self.text
        for (start, end), token in reversed(ordered):
            out = out[:start] + token + out[end:]
        return out

    def _locate(self, steps: list[_Step]) -> tuple[int, int] | None:
        """The character span of the scalar the steps lead to, in the scenario text."""
        node: yaml.Node | None = self.root_node
        offset_map = None  # maps (line, column) inside a literal block to the outer text
        for step in steps:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value
                             if isinstance(k, yaml.ScalarNode) and k.value == step.key), None)
            elif isinstance(node, yaml.SequenceNode):
                node = node.value[step.key] if isinstance(step.key, int) and \
                    step.key < len(node.value) else None
            elif isinstance(node, list):  # documents of a manifest text
                node = node[step.key] if isinstance(step.key, int) and \
                    step.key < len(node) else None
            else:
                return None
            if node is None:
                return None
            if step.into_manifests:
                if offset_map is not None or not isinstance(node, yaml.ScalarNode) \
                        or node.style != "|":
                    return None
                offset_map = self._block_map(node)
                if offset_map is None:
                    return None
                try:
                    node = list(yamlio.compose_all(node.value))
                except yaml.YAMLError:
                    return None
        if not isinstance(node, yaml.ScalarNode) or node.start_mark.line != node.end_mark.line:
            return None
        if offset_map is None:
            return node.start_mark.index, node.end_mark.index
        start = offset_map(node.start_mark.line, node.start_mark.column)
        end = offset_map(node.end_mark.line, node.end_mark.column)
        inner = node.start_mark.buffer[node.start_mark.index:node.end_mark.index] \
            if node.start_mark.buffer else None
        if start is None or end is None or inner is None or self.text[start:end] != inner:
            return None
        return start, end

    def _block_map(self, node: yaml.ScalarNode):
        """For a literal block scalar: (inner line, column) -> index in the scenario text."""
        lines = self.text.splitlines(keepends=True)
        header = lines[node.start_mark.line][node.start_mark.column:]
        if re.match(r"\|[+-]?\d|\|\d", header):
            return None  # explicit indentation indicator: not worth the special case
        first = node.start_mark.line + 1
        indent = None
        for line in lines[first:]:
            if line.strip():
                indent = len(line) - len(line.lstrip(" "))
                break
        if indent is None:
            return None
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line))

        def to_outer(line: int, column: int) -> int | None:
            outer = first + line
            if outer >= len(lines):
                return None
            return starts[outer] + indent + column

        return to_outer


def _segments(path: str | Sequence[Segment]) -> tuple[tuple[Segment, ...], str]:
    if isinstance(path, str):
        return parse_path(path), path
    segments = tuple(path)
    return segments, format_path(segments)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, Manifests)):
        return "a list"
    return f"a scalar ({json.dumps(_plain(value))})"


def _plain(value: Any) -> Any:
    """Values with every :class:`Manifests` written back to manifest text."""
    if isinstance(value, Manifests):
        return yamlio.dump_all([_plain(d) for d in value.docs])
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _normalise(tree: Any) -> Any:
    """Values with every resource's manifest text parsed, for comparing two scenarios."""
    tree = copy.deepcopy(tree)
    if isinstance(tree, dict) and isinstance(tree.get("resources"), list):
        for entry in tree["resources"]:
            if isinstance(entry, dict):
                text = entry.get("inline")
                if isinstance(text, Manifests):
                    entry["inline"] = ("manifests", text.docs)
                elif isinstance(text, str):
                    try:
                        entry["inline"] = ("manifests", yamlio.load_all(text))
                    except yaml.YAMLError:
                        pass  # compared as text; the simulator reports the problem
    return tree


# --------------------------------------------------------------------------- file paths

_FILE_FIELDS = (("resources", "file"), ("populations", "tls", "certificateFile"),
                ("populations", "tls", "keyFile"))


def relocate_files(text: str, base_dir: str, new_dir: str | None = None) -> str:
    """``text`` with every relative file path in it made valid from another directory.

    Paths (``resources[].file``, ``populations[].tls.certificateFile`` / ``keyFile``) are
    relative to ``base_dir`` in ``text``; they become absolute (``new_dir`` None, or nothing
    but the root in common with ``new_dir``) or relative to ``new_dir``. Only those tokens
    change, so line numbers stay.
    """
    root = yamlio.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return text
    edits: list[tuple[int, int, str]] = []

    def field(node: yaml.Node | None, name: str) -> yaml.Node | None:
        if not isinstance(node, yaml.MappingNode):
            return None
        return next((v for k, v in node.value
                     if isinstance(k, yaml.ScalarNode) and k.value == name), None)

    for spec in _FILE_FIELDS:
        seq = field(root, spec[0])
        if not isinstance(seq, yaml.SequenceNode):
            continue
        for item in seq.value:
            node: yaml.Node | None = item
            for name in spec[1:]:
                node = field(node, name)
            if not isinstance(node, yaml.ScalarNode) or os.path.isabs(node.value) \
                    or node.start_mark.line != node.end_mark.line:
                continue
            full = os.path.normpath(os.path.join(os.path.abspath(base_dir), node.value))
            new = full
            if new_dir is not None:
                target = os.path.abspath(new_dir)
                if os.path.commonpath([full, target]) != os.path.sep:
                    new = os.path.relpath(full, target)
            token = yamlio.scalar_text(new) or json.dumps(new)
            edits.append((node.start_mark.index, node.end_mark.index, token))
    for start, end, token in sorted(edits, reverse=True):
        text = text[:start] + token + text[end:]
    return text
