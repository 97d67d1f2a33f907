"""The MIDI-VALLE `VALLE` network (prefix mode 1, decoder-only AR + AdaLN NAR), parameterised by ValleDims.

Module names mirror the official state_dict (spec §2); the forward pieces are split the way the ONNX graphs
are (docs/model-pack.md) so the reference, the KV-cached step and the export share one implementation.
"""
from __future__ import annotations

from typing import Optional, Tuple

import torch
from torch import Tensor, nn

from .config import ValleDims
from .layers import NEG_INF, DecoderStack, SinePosition, TokenEmbedding  # NEG_INF: additive mask for a blocked key


class Valle(nn.Module):
    def __init__(self, dims: ValleDims):
        super().__init__()
        self.dims = dims
        d, q = dims.d_model, dims.quantizers
        self.feat_emb = nn.ModuleList(
            [TokenEmbedding(dim, vocab) for vocab, dim in zip(dims.midi_vocab, dims.midi_emb_dims)]
        )
        midi_width = sum(dims.midi_emb_dims)
        self.ar_text_embedding = nn.Linear(midi_width, d)
        self.nar_text_embedding = nn.Linear(midi_width, d)
        self.ar_audio_embedding = TokenEmbedding(d, dims.audio_tokens + 1)
        self.ar_text_position = SinePosition(d)
        self.ar_audio_position = SinePosition(d)
        self.ar_decoder = DecoderStack(d, dims.heads, dims.ff_dim, dims.ar_layers, adaptive=False)
        self.ar_predict_layer = nn.Linear(d, dims.audio_tokens + 1, bias=False)
        self.nar_audio_embeddings = nn.ModuleList(
            [TokenEmbedding(d, dims.audio_tokens + 1)] + [TokenEmbedding(d, dims.audio_tokens) for _ in range(q - 1)]
        )
        self.nar_text_position = SinePosition(d)
        self.nar_audio_position = SinePosition(d)
        self.nar_decoder = DecoderStack(d, dims.heads, dims.ff_dim, dims.nar_layers, adaptive=True)
        self.nar_predict_layers = nn.ModuleList(
            [nn.Linear(d, dims.audio_tokens, bias=False) for _ in range(q - 1)]
        )
        # share_embedding=True: head j (predicting q_{j+1}) is tied to the input embedding of q_{j+2} (spec §1.6).
        for j in range(q - 2):
            self.nar_predict_layers[j].weight = self.nar_audio_embeddings[j + 2].word_embeddings.weight
        self.nar_stage_embeddings = nn.ModuleList([TokenEmbedding(d, 1) for _ in range(q - 1)])

    # --- MIDI conditioning -------------------------------------------------------------------------------
    def embed_midi(self, tokens: Tensor) -> Tuple[Tensor, Tensor]:
        """tokens int64 [B,S,6] -> (xa, xn) [B,S,D], positions included."""
        feats = torch.cat([emb(tokens[..., k]) for k, emb in enumerate(self.feat_emb)], dim=-1)
        xa = self.ar_text_position(self.ar_text_embedding(feats))
        xn = self.nar_text_position(self.nar_text_embedding(feats))
        return xa, xn

    # --- AR ------------------------------------------------------------------------------------------------
    # Two graphs serve both prefill and steps (docs/model-pack.md): ar_embed (audio ids -> embeddings at
    # absolute positions) and ar_decoder (embeddings + per-layer past K/V -> every new row's logits and new K/V).
    # One decoder graph means one copy of the AR weights in memory. Logits for every row (not only the last) let
    # the engine verify k drafted frames in one pass of T = k+1 rows (speculative decoding, docs/model-pack.md).
    def ar_embed_audio(self, tokens: Tensor, start: Tensor) -> Tensor:
        """tokens [B,T] at audio positions start..start+T-1 (start an int64 [1] tensor) -> [B,T,D]."""
        positions = start + torch.arange(tokens.shape[1], dtype=torch.int64)
        return self.ar_audio_position(self.ar_audio_embedding(tokens), positions)

    def ar_decode(self, x: Tensor, mask: Tensor, past_keys=None, past_values=None) -> Tuple[Tensor, Tensor, Tensor]:
        """x [B,T,D] after `past` (per layer [B,H,P,Dh], or None); mask [B,1,T,P+T]. Returns every new row's
        logits [B,T,V+1] (row t predicts the frame after row t; callers that want the next frame take [:, -1])
        and this call's K/V rows stacked [L,B,H,T,Dh]."""
        h, keys, values = self.ar_decoder(x, mask, past_keys=past_keys, past_values=past_values)
        return self.ar_predict_layer(h), keys, values

    def ar_forward(self, xa: Tensor, q0: Tensor, mask: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Full AR pass over [MIDI | audio q0]; returns logits [B,S+T,V+1] (the last row predicts the next frame)
        and K/V [L,B,H,S+T,Dh]."""
        ya = self.ar_embed_audio(q0, torch.zeros(1, dtype=torch.int64))
        return self.ar_decode(torch.cat([xa, ya], dim=1), mask)

    def ar_step(
        self, token: Tensor, audio_pos: Tensor, past_key: Tensor, past_value: Tensor, mask: Tensor
    ) -> Tuple[Tensor, Tensor, Tensor]:
        """One cached step: token [B,1] at audio position audio_pos [1]; returns logits [B,1,V+1] and the new K/V
        rows."""
        return self.ar_decode(self.ar_embed_audio(token, audio_pos), mask, past_key, past_value)

    # --- NAR -----------------------------------------------------------------------------------------------
    def nar_audio_input(self, codes: Tensor, prompt_frames: Tensor, stage: Tensor) -> Tensor:
        """Sum of quantizer embeddings: all 4 on prompt frames, those below `stage` on generated frames."""
        frame = torch.arange(codes.shape[1], dtype=torch.int64).unsqueeze(0).unsqueeze(-1)  # [1,T,1]
        in_prompt = frame < prompt_frames
        total = None
        for k, emb in enumerate(self.nar_audio_embeddings):
            use = torch.logical_or(in_prompt, stage > k).to(torch.float32)
            term = emb(codes[..., k]) * use
            total = term if total is None else total + term
        return total

    def nar_logits(self, xn: Tensor, codes: Tensor, prompt_frames: Tensor, stage: Tensor, mask: Optional[Tensor]):
        """Stage logits [B,T,V] for every audio frame (stage is 1..quantizers-1, an int64 [1] tensor)."""
        y = self.nar_audio_position(self.nar_audio_input(codes, prompt_frames, stage))
        index = stage - 1
        stage_emb = torch.cat([e.weight for e in self.nar_stage_embeddings], dim=0).index_select(0, index)
        h, _, _ = self.nar_decoder(torch.cat([xn, y], dim=1), mask, stage_emb=stage_emb)
        return torch.matmul(h[:, xn.shape[1]:], self._stage_head(stage).t())

    def _stage_head(self, stage: Tensor) -> Tensor:
        # A Where chain instead of stacking the heads: stacking would be constant-folded into a copy of the
        # tied embedding tables in the exported graph.
        heads = [p.weight for p in self.nar_predict_layers]
        chosen = heads[-1]
        for j in range(len(heads) - 2, -1, -1):
            chosen = torch.where(stage == j + 1, heads[j], chosen)
        return chosen

    def nar_stage(self, xn, codes, prompt_frames, stage, mask):
        return self.nar_logits(xn, codes, prompt_frames, stage, mask).argmax(dim=-1)


# --- masks (additive: 0 attend, NEG_INF blocked) -----------------------------------------------------------
def prefill_mask(midi_lens, s: int, t: int) -> Tensor:
    """[B,1,S+T,S+T]: MIDI queries see real MIDI keys; audio queries see real MIDI keys + audio causally.
    Padded MIDI slots are blocked everywhere except on their own query row (keeps the softmax finite)."""
    b = len(midi_lens)
    n = s + t
    allowed = torch.zeros(b, n, n, dtype=torch.bool)
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    for i, m in enumerate(midi_lens):
        allowed[i, :, :m] = True
        allowed[i, s:, s:] = causal
        for p in range(m, s):
            allowed[i, p, p] = True
    return torch.where(allowed, 0.0, NEG_INF).unsqueeze(1)


def step_mask(midi_lens, s: int, filled: int, capacity: int) -> Tensor:
    """[B,1,1,C+1]: cache slots [0, filled) minus padded MIDI slots, then the new frame itself."""
    b = len(midi_lens)
    allowed = torch.zeros(b, capacity + 1, dtype=torch.bool)
    for i, m in enumerate(midi_lens):
        allowed[i, :m] = True
        allowed[i, s:filled] = True
        allowed[i, capacity] = True
    return torch.where(allowed, 0.0, NEG_INF).view(b, 1, 1, capacity + 1)


def padding_mask(midi_lens, s: int, audio_lens) -> Tensor:
    """[B,1,1,S+T] key padding for the NAR."""
    b = len(midi_lens)
    t = max(audio_lens)
    allowed = torch.zeros(b, s + t, dtype=torch.bool)
    for i, (m, a) in enumerate(zip(midi_lens, audio_lens)):
        allowed[i, :m] = True
        allowed[i, s:s + a] = True
    return torch.where(allowed, 0.0, NEG_INF).view(b, 1, 1, s + t)
