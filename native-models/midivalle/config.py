"""Model dimensions. `REAL_*` are the official checkpoints' dims; `TINY_*` keep every vocabulary and codebook
size (what the engine checks) but shrink widths so a test pack stays a few MB."""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Tuple

MIDI_COLUMNS = ("pitch", "velocity", "duration", "ioi", "position", "bar")
MIDI_VOCAB = (92, 68, 1156, 772, 388, 20)
MIDI_PAD, MIDI_BOS, MIDI_EOS = 0, 1, 2


@dataclass(frozen=True)
class ValleDims:
    d_model: int = 1024
    heads: int = 16
    ar_layers: int = 12
    nar_layers: int = 12
    ff_dim: int = 4096
    midi_vocab: Tuple[int, ...] = MIDI_VOCAB
    midi_emb_dims: Tuple[int, ...] = (32, 32, 256, 128, 64, 32)
    audio_tokens: int = 2048  # codebook size; id 2048 = EOS
    quantizers: int = 4

    @property
    def head_dim(self) -> int:
        return self.d_model // self.heads

    @property
    def eos_id(self) -> int:
        return self.audio_tokens

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CodecDims:
    channels: int = 1
    dimension: int = 128
    n_filters: int = 64
    ratios: Tuple[int, ...] = (8, 5, 4, 4)  # decoder order; the encoder uses them reversed
    n_residual_layers: int = 1
    kernel_size: int = 7
    last_kernel_size: int = 7
    residual_kernel_size: int = 3
    dilation_base: int = 2
    compress: int = 2
    lstm_layers: int = 2
    pad_mode: str = "constant"
    n_q: int = 4
    bins: int = 2048
    sample_rate: int = 32000

    @property
    def hop_length(self) -> int:
        hop = 1
        for r in self.ratios:
            hop *= r
        return hop

    def to_json(self) -> dict:
        return asdict(self)


REAL_VALLE = ValleDims()
TINY_VALLE = ValleDims(d_model=32, heads=2, ar_layers=2, nar_layers=2, ff_dim=64, midi_emb_dims=(4, 4, 8, 8, 4, 4))
REAL_CODEC = CodecDims()
TINY_CODEC = CodecDims(dimension=8, n_filters=4)

DIMS = {"real": (REAL_VALLE, REAL_CODEC), "tiny": (TINY_VALLE, TINY_CODEC)}
