"""Reading the official checkpoints in every form they come in, inferring dims from shapes, strict loading
with an error that names the offending keys."""
from __future__ import annotations

import contextlib
import os
import re
from dataclasses import replace
from typing import Any, Dict, Optional, Tuple

import torch
from torch import Tensor, nn

from . import yaml_lite
from .codec import PianoEncodec
from .config import CodecDims, ValleDims
from .valle import Valle

StateDict = Dict[str, Tensor]
LIST_LIMIT = 12  # names shown per category in an error


class CheckpointError(ValueError):
    """The file is not the checkpoint we expected; the message lists what differs."""


def read_checkpoint(path: str) -> Any:
    if not os.path.isfile(path):
        raise CheckpointError(f"{path}: file not found")
    try:
        return torch.load(path, map_location="cpu")
    except Exception as exc:  # pickle, zip or torch errors all mean "not a usable checkpoint"
        raise CheckpointError(f"{path}: not a PyTorch checkpoint ({type(exc).__name__}: {exc})") from exc


def unwrap(obj: Any, path: str = "checkpoint") -> Tuple[StateDict, Optional[dict], Dict[str, Any]]:
    """Accepts a bare state_dict, icefall's {'model': sd, ...} or audiocraft's {'best_state', 'xp.cfg', ...}.
    Returns (state_dict without any 'module.' prefix, parsed xp.cfg or None, other top-level entries)."""
    if not isinstance(obj, dict):
        raise CheckpointError(f"{path}: expected a dict checkpoint, got {type(obj).__name__}")
    cfg = None
    extras: Dict[str, Any] = {}
    if "best_state" in obj:
        state = obj["best_state"]
        if isinstance(state, dict) and isinstance(state.get("model"), dict):
            state = state["model"]  # non-exported audiocraft solver checkpoint
        raw_cfg = obj.get("xp.cfg")
        if isinstance(raw_cfg, str):
            cfg = yaml_lite.load(raw_cfg)
        elif isinstance(raw_cfg, dict):
            cfg = raw_cfg
        extras = {k: v for k, v in obj.items() if k not in ("best_state", "xp.cfg")}
    elif isinstance(obj.get("model"), dict):
        state = obj["model"]
        extras = {k: v for k, v in obj.items() if k != "model"}
    else:
        state = obj
    tensors = {k: v for k, v in state.items() if isinstance(v, Tensor)}
    if not tensors:
        raise CheckpointError(f"{path}: no tensors found (keys: {', '.join(list(state)[:LIST_LIMIT])})")
    return {re.sub(r"^module\.", "", k): v for k, v in tensors.items()}, cfg, extras


def _names(keys, limit=LIST_LIMIT) -> str:
    keys = sorted(keys)
    more = f" … (+{len(keys) - limit} more)" if len(keys) > limit else ""
    return ", ".join(keys[:limit]) + more


def load_strict(model: nn.Module, state: StateDict, what: str) -> None:
    """load_state_dict(strict=True), but first compare names and shapes to give one readable error."""
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    mismatched = [
        f"{k} {list(state[k].shape)} (expected {list(expected[k].shape)})"
        for k in expected
        if k in state and tuple(state[k].shape) != tuple(expected[k].shape)
    ]
    if missing or unexpected or mismatched:
        parts = []
        if missing:
            parts.append(f"missing {len(missing)} key(s): {_names(missing)}")
        if unexpected:
            parts.append(f"unexpected {len(unexpected)} key(s): {_names(unexpected)}")
        if mismatched:
            parts.append(f"{len(mismatched)} shape mismatch(es): {_names(mismatched)}")
        raise CheckpointError(f"{what} does not match the expected layout: " + "; ".join(parts))
    model.load_state_dict(state, strict=True)


def _count(state: StateDict, pattern: str) -> int:
    rx = re.compile(pattern)
    return len({m.group(1) for k in state for m in [rx.match(k)] if m})


def valle_dims(state: StateDict, heads: Optional[int] = None, extras: Optional[dict] = None) -> ValleDims:
    """Every dim follows from shapes except the head count: explicit > checkpoint's `nhead` > d_model/64."""
    try:
        d_model, midi_width = state["ar_text_embedding.weight"].shape
        ff_dim = state["ar_decoder.layers.0.linear1.weight"].shape[0]
        tables = [state[f"feat_emb.{k}.word_embeddings.weight"].shape for k in range(_count(state, r"feat_emb\.(\d+)\."))]
        audio_tokens = state["nar_audio_embeddings.1.word_embeddings.weight"].shape[0]
    except KeyError as exc:
        raise CheckpointError(f"not a MIDI-VALLE checkpoint: key {exc} is missing") from exc
    if heads is None and extras and isinstance(extras.get("nhead"), int):
        heads = extras["nhead"]
    if heads is None:
        heads = max(1, d_model // 64)
    if d_model % heads:
        raise CheckpointError(f"d_model {d_model} is not divisible by {heads} heads")
    return ValleDims(
        d_model=int(d_model),
        heads=int(heads),
        ar_layers=_count(state, r"ar_decoder\.layers\.(\d+)\."),
        nar_layers=_count(state, r"nar_decoder\.layers\.(\d+)\."),
        ff_dim=int(ff_dim),
        midi_vocab=tuple(int(t[0]) for t in tables),
        midi_emb_dims=tuple(int(t[1]) for t in tables),
        audio_tokens=int(audio_tokens),
        quantizers=_count(state, r"nar_audio_embeddings\.(\d+)\."),
    )


def codec_dims(state: StateDict, cfg: Optional[dict]) -> CodecDims:
    """Shapes give widths and ratios; xp.cfg (when present) gives pad_mode etc. and must describe a model we
    implement (weight_norm, non-causal, no renormalize, ELU, identity skips)."""
    try:
        n_filters = state["encoder.model.0.conv.conv.weight_v"].shape[0]
        channels = state["encoder.model.0.conv.conv.weight_v"].shape[1]
        embed = state["quantizer.vq.layers.0._codebook.embed"]
    except KeyError as exc:
        raise CheckpointError(f"not a Piano-Encodec (audiocraft EnCodec) checkpoint: key {exc} is missing") from exc
    convtr = sorted(int(m) for m in {re.match(r"decoder\.model\.(\d+)\.convtr", k).group(1) for k in state if re.match(r"decoder\.model\.(\d+)\.convtr", k)})
    ratios = tuple(state[f"decoder.model.{i}.convtr.convtr.weight_v"].shape[2] // 2 for i in convtr)
    lstm_layers = _count(state, r"encoder\.model\.\d+\.lstm\.weight_ih_l(\d+)")
    dims = CodecDims(
        channels=int(channels),
        dimension=int(embed.shape[1]),
        n_filters=int(n_filters),
        ratios=ratios,
        n_residual_layers=_count(state, r"encoder\.model\.1\.block\.(\d+)\.") // 2 or 1,
        kernel_size=int(state["encoder.model.0.conv.conv.weight_v"].shape[2]),
        residual_kernel_size=int(state["encoder.model.1.block.1.conv.conv.weight_v"].shape[2]),
        lstm_layers=lstm_layers,
        n_q=_count(state, r"quantizer\.vq\.layers\.(\d+)\."),
        bins=int(embed.shape[0]),
    )
    if dims.n_residual_layers != 1:
        raise CheckpointError("codec checkpoints with more than one residual layer per block are not supported")
    if cfg:
        dims = _apply_codec_cfg(dims, cfg)
    return dims


def _apply_codec_cfg(dims: CodecDims, cfg: dict) -> CodecDims:
    seanet = cfg.get("seanet") or {}
    encodec = cfg.get("encodec") or {}
    checks = [
        (seanet.get("norm", "weight_norm") == "weight_norm", f"seanet.norm={seanet.get('norm')}"),
        (not seanet.get("causal", encodec.get("causal", False)), "causal=true"),
        (not encodec.get("renormalize", False), "encodec.renormalize=true"),
        (seanet.get("activation", "ELU") == "ELU", f"seanet.activation={seanet.get('activation')}"),
        (seanet.get("true_skip", True), "seanet.true_skip=false"),
    ]
    unsupported = [what for ok, what in checks if not ok]
    if unsupported:
        raise CheckpointError("unsupported codec configuration in xp.cfg: " + ", ".join(unsupported))
    pad_mode = seanet.get("pad_mode", dims.pad_mode)
    if pad_mode not in ("constant", "reflect"):
        raise CheckpointError(f"unsupported seanet.pad_mode '{pad_mode}' in xp.cfg")
    updates = dict(
        pad_mode=pad_mode,
        compress=int(seanet.get("compress", dims.compress)),
        dilation_base=int(seanet.get("dilation_base", dims.dilation_base)),
        last_kernel_size=int(seanet.get("last_kernel_size", dims.last_kernel_size)),
        sample_rate=int(cfg.get("sample_rate", dims.sample_rate)),
    )
    if "ratios" in seanet and tuple(seanet["ratios"]) != dims.ratios:
        raise CheckpointError(f"xp.cfg ratios {seanet['ratios']} disagree with the weights' {list(dims.ratios)}")
    return replace(dims, **updates)


@contextlib.contextmanager
def skip_init():
    """Loading overwrites every weight, so the random init of a 375M-parameter model is wasted time."""
    targets = [nn.Linear, nn.Embedding, nn.LayerNorm, nn.LSTM, nn.Conv1d, nn.ConvTranspose1d]
    saved = [(cls, cls.reset_parameters) for cls in targets]
    saved_xavier = nn.init.xavier_uniform_
    try:
        for cls in targets:
            cls.reset_parameters = lambda self: None
        nn.init.xavier_uniform_ = lambda tensor, gain=1.0: tensor
        yield
    finally:
        for cls, fn in saved:
            cls.reset_parameters = fn
        nn.init.xavier_uniform_ = saved_xavier


def load_valle(path_or_obj, heads: Optional[int] = None, name: str = "MIDI-VALLE checkpoint") -> Valle:
    obj = read_checkpoint(path_or_obj) if isinstance(path_or_obj, str) else path_or_obj
    state, _, extras = unwrap(obj, name)
    with skip_init():
        model = Valle(valle_dims(state, heads, extras))
    load_strict(model, state, name)
    return model.eval()


def load_codec(path_or_obj, name: str = "Piano-Encodec checkpoint") -> PianoEncodec:
    obj = read_checkpoint(path_or_obj) if isinstance(path_or_obj, str) else path_or_obj
    state, cfg, _ = unwrap(obj, name)
    with skip_init():
        model = PianoEncodec(codec_dims(state, cfg))
    load_strict(model, state, name)
    return model.eval()


def codec_xp_cfg(dims: CodecDims) -> str:
    """The xp.cfg YAML an audiocraft export of a model with these dims carries (fields we read + a few more)."""
    return yaml_lite.dump({
        "sample_rate": dims.sample_rate,
        "channels": dims.channels,
        "compression_model": "encodec",
        "encodec": {"autoencoder": "seanet", "quantizer": "rvq", "causal": False, "renormalize": False},
        "seanet": {
            "dimension": dims.dimension, "channels": dims.channels, "causal": False, "n_filters": dims.n_filters,
            "n_residual_layers": dims.n_residual_layers, "ratios": list(dims.ratios), "activation": "ELU",
            "activation_params": {"alpha": 1.0}, "norm": "weight_norm", "norm_params": {},
            "kernel_size": dims.kernel_size, "residual_kernel_size": dims.residual_kernel_size,
            "last_kernel_size": dims.last_kernel_size, "dilation_base": dims.dilation_base,
            "pad_mode": dims.pad_mode, "true_skip": True, "compress": dims.compress, "lstm": dims.lstm_layers,
            "disable_norm_outer_blocks": 0,
            "decoder": {"trim_right_ratio": 1.0, "final_activation": None, "final_activation_params": None},
            "encoder": {},
        },
        "rvq": {"n_q": dims.n_q, "q_dropout": False, "bins": dims.bins, "decay": 0.99, "kmeans_init": True,
                "kmeans_iters": 50, "threshold_ema_dead_code": 2},
    })
