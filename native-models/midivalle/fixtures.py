"""Parity fixtures for the TypeScript engine: per-graph inputs/outputs and whole-algorithm token runs,
computed with the PyTorch reference (float tensors as base64 little-endian float32, ints as JSON). Decoder logits
are stored as the ar_decoder graph returns them, one row per new row ([1,T,V+1]); the next frame's are the last row."""
from __future__ import annotations

import base64
import json
import math
import os
from typing import List

import numpy as np
import torch

from .codec import PianoEncodec
from .inference import SamplingConfig, ar_cached, ar_official, nar_official
from .valle import Valle, padding_mask, prefill_mask, step_mask

# BOS, 8 notes (pitch, velocity, duration, ioi, position, bar ids), EOS: valid ids for every stream.
FIXTURE_TOKENS = [
    [1, 1, 1, 1, 1, 1],
    [43, 40, 99, 388, 4, 4],
    [47, 44, 51, 436, 52, 4],
    [50, 36, 51, 436, 100, 4],
    [55, 52, 195, 436, 148, 4],
    [43, 30, 387, 580, 340, 4],
    [59, 60, 99, 484, 52, 5],
    [62, 56, 99, 388, 52, 5],
    [38, 34, 771, 532, 196, 5],
    [2, 2, 2, 2, 2, 2],
]
SHORT_ROWS = 7  # the second batch row: BOS + first 5 notes + EOS
PROMPT_SAMPLES = 3840  # 6 frames at 640
STEP_CAPACITY = 32
DECODE_FRAMES = 8
SAMPLED_RUNS = [
    {"seed": 1234, "temperature": 1.0, "topK": None, "topP": None},
    {"seed": 99, "temperature": 0.8, "topK": 50, "topP": 0.9},
]


def f32(t) -> dict:
    a = np.ascontiguousarray(np.asarray(t.detach().numpy() if torch.is_tensor(t) else t, dtype="<f4"))
    return {"dtype": "float32", "shape": list(a.shape), "base64": base64.b64encode(a.tobytes()).decode()}


def ints(t) -> list:
    return (t.tolist() if torch.is_tensor(t) else t)


def prompt_wav() -> torch.Tensor:
    """A decaying two-partial tone (float32), deterministic."""
    n = np.arange(PROMPT_SAMPLES, dtype=np.float64)
    wave = 0.4 * np.sin(2 * math.pi * 220.0 * n / 32000) + 0.2 * np.sin(2 * math.pi * 660.0 * n / 32000)
    wave *= np.exp(-n / 4000.0)
    return torch.from_numpy(wave.astype(np.float32)).view(1, 1, -1)


def short_tokens() -> List[List[int]]:
    return FIXTURE_TOKENS[: SHORT_ROWS - 1] + [FIXTURE_TOKENS[-1]]


@torch.no_grad()
def build_fixtures(valle: Valle, codec: PianoEncodec) -> dict:
    valle.eval()
    codec.eval()
    tokens = torch.tensor([FIXTURE_TOKENS], dtype=torch.int64)
    s = tokens.shape[1]
    wav = prompt_wav()
    prompt = codec.encode(wav)  # [1,4,Tp]
    tp = prompt.shape[2]
    prompt_codes = prompt.transpose(1, 2)  # [1,Tp,4]
    q0 = prompt_codes[..., 0]

    xa, xn = valle.embed_midi(tokens)
    mask = prefill_mask([s], s, tp)
    logits, keys, values = valle.ar_forward(xa, q0, mask)

    greedy = ar_official(valle, tokens, q0, SamplingConfig(greedy=True))
    cached = ar_cached(valle, tokens, q0, SamplingConfig(greedy=True))
    if cached.tokens != greedy.tokens:
        raise RuntimeError("KV-cached greedy decode disagrees with the full recompute")
    first = greedy.tokens[0]

    past_k = torch.zeros(keys.shape[0], 1, keys.shape[2], STEP_CAPACITY, keys.shape[4])
    past_v = torch.zeros_like(past_k)
    past_k[:, :, :, : s + tp] = keys
    past_v[:, :, :, : s + tp] = values
    smask = step_mask([s], s, s + tp, STEP_CAPACITY)
    step_logits, new_k, new_v = valle.ar_step(torch.tensor([[first]]), torch.tensor([tp]), past_k, past_v, smask)

    codes_out = nar_official(valle, tokens, prompt_codes, greedy.tokens)  # [Tg,4]
    full = torch.cat([prompt_codes[0], codes_out], dim=0).unsqueeze(0)  # [1,T,4]
    stages = []
    staged = full.clone()
    staged[0, tp:, 1:] = 0
    nmask = padding_mask([s], s, [full.shape[1]])
    for stage in range(1, valle.dims.quantizers):
        q = valle.nar_stage(xn, staged, torch.tensor([tp]), torch.tensor([stage]), nmask)
        stages.append({"stage": stage, "codes": ints(staged[0]), "q": ints(q[0])})
        staged[0, tp:, stage] = q[0, tp:]

    decode_codes = codes_out[:DECODE_FRAMES].t().unsqueeze(0).contiguous()  # [1,4,F]
    decoded = codec.decode(decode_codes)

    short = torch.tensor([short_tokens()], dtype=torch.int64)
    xa_short, _ = valle.embed_midi(short)
    short_logits, _, _ = valle.ar_forward(xa_short, q0, prefill_mask([short.shape[1]], short.shape[1], tp))

    sampled = []
    for run in SAMPLED_RUNS:
        cfg = SamplingConfig(greedy=False, seed=run["seed"], temperature=run["temperature"], top_k=run["topK"], top_p=run["topP"])
        result = ar_official(valle, tokens, q0, cfg)
        sampled.append({**run, "tokens": result.tokens})

    return {
        "description": "PyTorch reference outputs for the tiny pack (see docs/native-models.md, Parity fixtures).",
        "tokens": FIXTURE_TOKENS,
        "wav": f32(wav),
        "codecEncode": {"codes": ints(prompt[0])},
        "midiEmbed": {"xa": f32(xa), "xn": f32(xn)},
        "arPrefill": {"mask": f32(mask), "logits": f32(logits), "key": f32(keys), "value": f32(values)},
        "arStep": {"token": first, "audioPos": tp, "capacity": STEP_CAPACITY, "mask": f32(smask),
                   "logits": f32(step_logits), "newKey": f32(new_k), "newValue": f32(new_v)},
        "greedy": {"tokens": greedy.tokens, "maxFrames": 16 * s + 1},
        "narStage": {"promptFrames": tp, "stages": stages, "codes": ints(codes_out)},
        "codecDecode": {"codes": ints(decode_codes[0]), "wav": f32(decoded)},
        "batch": {"shortTokens": short_tokens(), "shortLogits": f32(short_logits)},
        "sampled": sampled,
    }


INT8_KV_DECODER = "ar_decoder_int8kv.onnx"


def write_int8_kv_decoder(pack_dir: str) -> str:
    """fixtures/ar_decoder_int8kv.onnx: the pack's fp32 ar_decoder reading an int8 KV cache (the int8 packs' cache
    form, precision.to_int8_kv_cache), so that the engine's parity test can check that cache form's greedy tokens
    against the same reference."""
    import onnx

    from .precision import to_int8_kv_cache

    model = onnx.load(os.path.join(pack_dir, "ar_decoder.onnx"))
    to_int8_kv_cache(model)
    onnx.checker.check_model(model)
    path = os.path.join(pack_dir, "fixtures", INT8_KV_DECODER)
    onnx.save(model, path)
    return path


def write_fixtures(valle: Valle, codec: PianoEncodec, out_dir: str) -> str:
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "parity.json")
    with open(path + ".tmp", "w") as f:
        json.dump(build_fixtures(valle, codec), f, separators=(",", ":"))
    os.replace(path + ".tmp", path)
    return path
