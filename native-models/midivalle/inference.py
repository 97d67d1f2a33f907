"""Reference inference: the official algorithm (full recompute every AR step, spec §3) and a KV-cached
variant that runs the exact computation of the ar_decoder graph (whole pass, then cached steps). Batch 1."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import torch
from torch import Tensor

from .sampling import Mulberry32, argmax, sample_id
from .valle import Valle, prefill_mask, step_mask, padding_mask


@dataclass
class SamplingConfig:
    """greedy=True: take argmax (top-k 1). Otherwise the engine's seeded rule."""
    greedy: bool = True
    seed: int = 0
    temperature: float = 1.0
    top_k: Optional[int] = None
    top_p: Optional[float] = None


class _Chooser:
    def __init__(self, cfg: SamplingConfig):
        self.cfg = cfg
        self.rng = Mulberry32(cfg.seed)

    def __call__(self, logits: Tensor) -> int:
        values = logits.double().tolist()
        if self.cfg.greedy:
            return argmax(values)
        return sample_id(values, self.rng, self.cfg.temperature, self.cfg.top_k, self.cfg.top_p)


@dataclass
class ArResult:
    tokens: List[int]
    first_logits: Tensor
    steps: int = 0


def _should_stop(logits: Tensor, chosen: int, generated: int, s: int, eos: int) -> bool:
    return argmax(logits.double().tolist()) == eos or chosen == eos or generated > 16 * s


@torch.no_grad()
def ar_official(model: Valle, tokens: Tensor, prompt_q0: Tensor, cfg: SamplingConfig, max_frames=None) -> ArResult:
    """Full recompute over [MIDI | prompt + generated] at every step (no cache), like VALLE.inference."""
    xa, _ = model.embed_midi(tokens)
    s = tokens.shape[1]
    eos = model.dims.eos_id
    y = prompt_q0.clone()
    choose = _Chooser(cfg)
    generated: List[int] = []
    first = None
    while True:
        logits, _, _ = model.ar_forward(xa, y, prefill_mask([s], s, y.shape[1]))
        logits = logits[0, -1]
        first = logits if first is None else first
        chosen = choose(logits)
        if _should_stop(logits, chosen, len(generated), s, eos) or (max_frames and len(generated) >= max_frames):
            break
        generated.append(chosen)
        y = torch.cat([y, torch.tensor([[chosen]])], dim=1)
    return ArResult(generated, first, len(generated) + 1)


@torch.no_grad()
def ar_cached(model: Valle, tokens: Tensor, prompt_q0: Tensor, cfg: SamplingConfig, bucket: int = 128, max_frames=None) -> ArResult:
    """Prefill then one-frame steps against a fixed-capacity cache, as the engine drives the graphs."""
    xa, _ = model.embed_midi(tokens)
    s, tp = tokens.shape[1], prompt_q0.shape[1]
    eos = model.dims.eos_id
    logits, keys, values = model.ar_forward(xa, prompt_q0, prefill_mask([s], s, tp))
    filled = s + tp
    capacity = ((filled + bucket) // bucket) * bucket
    shape = list(keys.shape)
    shape[3] = capacity
    cache_k, cache_v = torch.zeros(shape), torch.zeros(shape)
    cache_k[:, :, :, :filled] = keys
    cache_v[:, :, :, :filled] = values
    choose = _Chooser(cfg)
    generated: List[int] = []
    logits = logits[0, -1]
    first = logits
    while True:
        chosen = choose(logits)
        if _should_stop(logits, chosen, len(generated), s, eos) or (max_frames and len(generated) >= max_frames):
            break
        generated.append(chosen)
        if filled == capacity:
            grow = torch.zeros(shape[:3] + [bucket] + shape[4:])
            cache_k, cache_v = torch.cat([cache_k, grow], 3), torch.cat([cache_v, grow], 3)
            capacity += bucket
            shape[3] = capacity
        audio_pos = torch.tensor([filled - s])
        out, new_k, new_v = model.ar_step(
            torch.tensor([[chosen]]), audio_pos, cache_k, cache_v, step_mask([s], s, filled, capacity)
        )
        cache_k[:, :, :, filled] = new_k[:, :, :, 0]
        cache_v[:, :, :, filled] = new_v[:, :, :, 0]
        filled += 1
        logits = out[0, -1]
    return ArResult(generated, first, len(generated) + 1)


@torch.no_grad()
def nar_official(model: Valle, tokens: Tensor, prompt_codes: Tensor, q0: List[int]) -> Tensor:
    """Greedy q1..q3 for the generated frames; returns int64 [Tg, 4] (prompt frames not included)."""
    _, xn = model.embed_midi(tokens)
    tp = prompt_codes.shape[1]
    codes = torch.zeros(1, tp + len(q0), model.dims.quantizers, dtype=torch.int64)
    codes[:, :tp] = prompt_codes
    codes[0, tp:, 0] = torch.tensor(q0, dtype=torch.int64)
    s = tokens.shape[1]
    for stage in range(1, model.dims.quantizers):
        q = model.nar_stage(xn, codes, torch.tensor([tp]), torch.tensor([stage]), padding_mask([s], s, [codes.shape[1]]))
        codes[0, tp:, stage] = q[0, tp:]
    return codes[0, tp:]
