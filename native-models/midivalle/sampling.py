"""The engine's sampling rule (docs/model-pack.md, "Sampling"), mirrored exactly for parity fixtures."""
from __future__ import annotations

import math
from typing import Optional, Sequence

MASK32 = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    return (a * b) & MASK32


class Mulberry32:
    """mulberry32 over a uint32 state; next() returns a uint32, uniform() = next() / 2^32."""

    def __init__(self, seed: int):
        self.state = seed & MASK32

    def next(self) -> int:
        self.state = (self.state + 0x6D2B79F5) & MASK32
        a = self.state
        t = _imul(a ^ (a >> 15), 1 | a)
        t = ((t + _imul(t ^ (t >> 7), 61 | t)) & MASK32) ^ t
        return (t ^ (t >> 14)) & MASK32

    def uniform(self) -> float:
        return self.next() / 4294967296.0


def argmax(values: Sequence[float]) -> int:
    """First index of the maximum (ties go to the lower id)."""
    best = 0
    for i in range(1, len(values)):
        if values[i] > values[best]:
            best = i
    return best


def sample_id(
    logits: Sequence[float],
    rng: Mulberry32,
    temperature: float = 1.0,
    top_k: Optional[int] = None,
    top_p: Optional[float] = None,
) -> int:
    """float64: logits/T -> top-k (ties by lower id) -> softmax -> top-p -> first id (ascending) whose
    cumulative probability exceeds u * total."""
    scaled = [float(x) / temperature for x in logits]
    n = len(scaled)
    kept = list(range(n))
    if top_k is not None and 0 < top_k < n:
        order = sorted(range(n), key=lambda i: (-scaled[i], i))
        kept = sorted(order[:top_k])
    peak = max(scaled[i] for i in kept)
    exps = {i: math.exp(scaled[i] - peak) for i in kept}
    norm = 0.0
    for i in kept:
        norm += exps[i]
    probs = {i: exps[i] / norm for i in kept}
    if top_p is not None and top_p < 1.0:
        order = sorted(kept, key=lambda i: (-probs[i], i))
        mass = 0.0
        chosen = []
        for i in order:
            chosen.append(i)
            mass += probs[i]
            if mass >= top_p:
                break
        kept = sorted(chosen)
    total = 0.0
    for i in kept:
        total += probs[i]
    threshold = rng.uniform() * total
    cumulative = 0.0
    for i in kept:
        cumulative += probs[i]
        if cumulative > threshold:
            return i
    return kept[-1]  # rounding: u * total reached the very end
