"""Shared test helpers: the official key lists and small models."""
from __future__ import annotations

import os
import sys
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

SHARED = os.environ.get("MIDI_VALLE_SHARED", os.path.join(ROOT, "..", "..", "shared"))
KEYS_DIR = os.path.join(SHARED, "reference", "checkpoint-keys")


def official_keys(name: str) -> Dict[str, List[int]]:
    """key -> shape from ../shared/reference/checkpoint-keys/<name> (fails loudly when missing)."""
    path = os.path.join(KEYS_DIR, name)
    if not os.path.exists(path):
        raise FileNotFoundError(f"reference key list missing: {path}")
    out = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                key, shape = line.rstrip("\n").split("\t")
                out[key] = [int(x) for x in shape.strip("[]").split(",") if x.strip()]
    return out
