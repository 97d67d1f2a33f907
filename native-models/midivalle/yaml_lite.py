"""Just enough YAML to read audiocraft's `xp.cfg` (OmegaConf.to_yaml output: block mappings, block lists of
scalars, flow `[]`/`{}`), used when PyYAML is not installed. PyYAML is preferred when present."""
from __future__ import annotations

import ast
from typing import Any, List, Tuple


def _scalar(text: str) -> Any:
    text = text.strip()
    if text in ("", "null", "~", "None"):
        return None
    if text in ("true", "True"):
        return True
    if text in ("false", "False"):
        return False
    if text.startswith(("[", "{")):
        inner = text[1:-1].strip()
        if not inner:
            return [] if text.startswith("[") else {}
        if text.startswith("["):
            return [_scalar(p) for p in inner.split(",")]
        return {k.strip(): _scalar(v) for k, v in (p.split(":", 1) for p in inner.split(","))}
    if text[0] in "'\"":
        return ast.literal_eval(text)
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def _lines(text: str) -> List[Tuple[int, str]]:
    out = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        out.append((len(raw) - len(raw.lstrip(" ")), raw.strip()))
    return out


def _parse(lines, i: int, indent: int):
    if i < len(lines) and lines[i][1].startswith("- ") or (i < len(lines) and lines[i][1] == "-"):
        items = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("-"):
            items.append(_scalar(lines[i][1][1:]))
            i += 1
        return items, i
    result = {}
    while i < len(lines) and lines[i][0] == indent:
        key, _, rest = lines[i][1].partition(":")
        i += 1
        if rest.strip():
            result[key.strip()] = _scalar(rest)
        elif i < len(lines) and (lines[i][0] > indent or lines[i][1].startswith("-")):
            result[key.strip()], i = _parse(lines, i, lines[i][0])
        else:
            result[key.strip()] = None
    return result, i


def load(text: str) -> Any:
    try:
        import yaml  # type: ignore

        return yaml.safe_load(text)
    except ImportError:
        lines = _lines(text)
        return _parse(lines, 0, lines[0][0])[0] if lines else {}


def dump(value: Any, indent: int = 0) -> str:
    """Block-style YAML of nested dicts/lists of scalars (the shape OmegaConf.to_yaml writes)."""
    pad = " " * indent
    out = []
    for key, item in value.items():
        if isinstance(item, dict):
            out.append(f"{pad}{key}:" + (" {}" if not item else ""))
            if item:
                out.append(dump(item, indent + 2))
        elif isinstance(item, (list, tuple)):
            out.append(f"{pad}{key}:" + (" []" if not item else ""))
            out.extend(f"{pad}- {_fmt(v)}" for v in item)
        else:
            out.append(f"{pad}{key}: {_fmt(item)}")
    return "\n".join(out)


def _fmt(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)
