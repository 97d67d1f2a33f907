"""Random-weight checkpoints in the official file formats (for test packs and loader tests)."""
from __future__ import annotations

import torch

from .checkpoint import codec_xp_cfg
from .codec import PianoEncodec
from .config import CodecDims, ValleDims
from .valle import Valle


def random_models(valle_dims: ValleDims, codec_dims: CodecDims, seed: int):
    torch.manual_seed(seed)
    valle = Valle(valle_dims).eval()
    with torch.no_grad():
        # The official init leaves alpha at 1; vary the learnable ones so a wrong alpha shows up in parity.
        valle.ar_text_position.alpha.fill_(0.9)
        valle.ar_audio_position.alpha.fill_(1.1)
    codec = PianoEncodec(codec_dims).eval()
    _init_codebooks(codec)
    return valle, codec


@torch.no_grad()
def _init_codebooks(codec: PianoEncodec, frames: int = 128) -> None:
    """Codewords drawn from the random encoder's own latents (like audiocraft's k-means init), so that
    encoding real-looking audio uses many different codes instead of one."""
    noise = torch.randn(1, 1, codec.dims.hop_length * frames) * torch.linspace(0.01, 0.5, frames).repeat_interleave(codec.dims.hop_length)
    residual = codec.encoder(noise)[0].t()  # [frames, D]
    for layer in codec.quantizer.vq.layers:
        book = layer._codebook
        pick = torch.randint(0, frames, (book.embed.shape[0],))
        spread = residual.std() * 0.05
        book.embed.copy_(residual[pick] + spread * torch.randn_like(book.embed))
        book.embed_avg.copy_(book.embed)
        nearest = torch.cdist(residual, book.embed).argmin(dim=-1)
        residual = residual - book.embed[nearest]


def valle_checkpoint(valle: Valle, form: str = "bare") -> dict:
    """form: 'bare' (the released best-valid-loss.pt), 'trainer' (icefall dict), 'ddp' (trainer + module.)."""
    state = valle.state_dict()
    if form == "bare":
        return state
    if form == "trainer":
        return {"model": state, "optimizer": {}, "scheduler": {}, "nhead": valle.dims.heads, "best_valid_loss": 1.0}
    if form == "ddp":
        return {"model": {"module." + k: v for k, v in state.items()}, "nhead": valle.dims.heads}
    raise ValueError(form)


def codec_checkpoint(codec: PianoEncodec, form: str = "audiocraft") -> dict:
    """form: 'audiocraft' (exported: best_state + xp.cfg YAML), 'solver' (best_state={'model': sd}), 'bare'."""
    state = codec.state_dict()
    if form == "bare":
        return state
    best = state if form == "audiocraft" else {"model": state}
    return {"best_state": best, "xp.cfg": codec_xp_cfg(codec.dims), "version": "1.3.0", "exported": form == "audiocraft"}
