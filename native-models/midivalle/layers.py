"""Transformer pieces with the official module names (so state_dict keys match) and an explicit K/V interface
(so the same code serves the full forward, the KV-cached step and the ONNX export)."""
from __future__ import annotations

import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.onnx import symbolic_helper
from torch.onnx._globals import GLOBALS
from torch.onnx._internal import jit_utils

NEG_INF = -1e9  # additive mask value for a blocked key (valle.py's masks use it too)


class TokenEmbedding(nn.Module):
    """nn.Embedding wrapped to keep the official `<name>.word_embeddings.weight` key."""

    def __init__(self, dim: int, vocab: int):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, dim)

    @property
    def weight(self) -> Tensor:
        return self.word_embeddings.weight

    def forward(self, ids: Tensor) -> Tensor:
        return self.word_embeddings(ids)


def sine_table(positions: Tensor, dim: int) -> Tensor:
    """Interleaved sin/cos table for float positions [...] -> [..., dim] (pe[p,2i]=sin(p*w_i), pe[p,2i+1]=cos)."""
    inv_freq = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * -(math.log(10000.0) / dim))
    angles = positions.to(torch.float32).unsqueeze(-1) * inv_freq
    return torch.stack([torch.sin(angles), torch.cos(angles)], dim=-1).flatten(-2)


class SinePosition(nn.Module):
    """x + alpha * pe[positions]; `alpha` is a [1] parameter in all four official modules (learned or not)."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim
        self.alpha = nn.Parameter(torch.ones(1))

    def forward(self, x: Tensor, positions: Optional[Tensor] = None) -> Tensor:
        if positions is None:
            positions = torch.arange(x.shape[1], dtype=torch.int64)
        return x + self.alpha * sine_table(positions, self.dim)


class AdaptiveLayerNorm(nn.Module):
    """scale * LN(x) + shift, with [scale | shift] = project_layer(stage embedding)."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim
        self.project_layer = nn.Linear(dim, 2 * dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: Tensor, stage_emb: Tensor) -> Tensor:
        scale, shift = torch.split(self.project_layer(stage_emb), self.dim, dim=-1)
        return scale * self.norm(x) + shift


def _heads_first(x: Tensor, heads: int, head_dim: int) -> Tensor:
    # head_dim as a Python int: derived from x.shape it would be traced into shape arithmetic in every graph.
    b, t, _ = x.shape
    return x.reshape(b, t, heads, head_dim).transpose(1, 2)


def _attention(q: Tensor, k: Tensor, v: Tensor, mask: Optional[Tensor]) -> Tensor:
    """softmax(q·kᵀ/√Dh + mask)·v on heads-first [B,H,T,Dh] tensors: the one definition that both the plain
    attention and the fused export's PyTorch side compute."""
    scores = torch.matmul(q * (1.0 / math.sqrt(q.shape[-1])), k.transpose(-1, -2))
    if mask is not None:
        scores = scores + mask
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def _heads_last(out: Tensor) -> Tensor:
    b, h, t, d = out.shape
    return out.transpose(1, 2).reshape(b, t, h * d)


class FusedAttention(torch.autograd.Function):
    """softmax(q·kᵀ/√Dh + mask)·v over [B,T,D] projections, exported as ONNX Runtime's com.microsoft
    MultiHeadAttention. Unfused, ONNX Runtime materialises three [B,H,T,T] tensors a layer (score, masked score,
    softmax: ~96 MB each for a 17.5 s NAR row) in fresh pages on every run; the fused CPU kernel runs its
    flash-attention path, which never holds a full score matrix, when it gets no mask. So the export asks at run
    time whether the key-padding mask blocks anything (never, for the engine's one-row NAR) and only then passes
    it, as a [B, S+T] keep mask (that path materialises one [B,H,T,T] tensor)."""

    @staticmethod
    def forward(ctx, q: Tensor, k: Tensor, v: Tensor, mask: Optional[Tensor], heads: int) -> Tensor:
        q, k, v = (_heads_first(x, heads, x.shape[-1] // heads) for x in (q, k, v))
        return _heads_last(_attention(q, k, v, mask))

    @staticmethod
    def symbolic(g, q, k, v, mask, heads: int):
        if not isinstance(g, jit_utils.GraphContext):
            # torch 1.13 hands an autograd.Function's symbolic the bare graph; the If's branches need a context.
            # Appending to the top-level block is where the ONNX pass would insert anyway (it builds in order).
            g = jit_utils.GraphContext(graph=g, block=g.block(), opset=GLOBALS.export_onnx_opset_version,
                                       original_node=None, params_dict={}, env={})

        def attention(ctx: jit_utils.GraphContext, *extra):
            out = ctx.op("com.microsoft::MultiHeadAttention", q, k, v, *extra, num_heads_i=heads,
                         mask_filter_value_f=NEG_INF)
            out.setType(q.type())
            return out

        if symbolic_helper._is_none(mask):
            return attention(g)
        zero = g.op("Constant", value_t=torch.tensor(0.0))
        padded = g.op("Less", g.op("ReduceMin", mask, keepdims_i=0), zero)
        out, (if_padded, if_not), _ = jit_utils.add_op_with_blocks(g, "If", padded, n_blocks=2)
        keep = if_padded.op("Cast", if_padded.op("Equal", if_padded.op("Flatten", mask, axis_i=1), zero),
                            to_i=symbolic_helper.cast_pytorch_to_onnx["Int"])
        no_bias = symbolic_helper._optional_input_placeholder_tensor(if_padded)
        if_padded.block.registerOutput(attention(if_padded, no_bias, keep))
        if_not.block.registerOutput(attention(if_not))
        out.setType(q.type())
        return out


class SelfAttention(nn.Module):
    """Same parameters as torch.nn.MultiheadAttention (packed q|k|v in_proj, out_proj Linear)."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        # Set by the NAR export only (export.py): the AR decoder attends to a KV cache, which this op's
        # flash path does not take, and its per-step score rows are small.
        self.fused_export = False
        self.head_dim = dim // heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * dim, dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * dim))
        self.out_proj = nn.Linear(dim, dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def split_heads(self, x: Tensor) -> Tensor:
        return _heads_first(x, self.heads, self.head_dim)

    def project_flat(self, x: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        # Three projections from slices of the packed weight (the slices are constant-folded at export):
        # one packed projection + chunk exports a chain of dynamic Slice/Shape ops that every step pays for.
        d = self.heads * self.head_dim
        w, b = self.in_proj_weight, self.in_proj_bias
        q, k, v = (F.linear(x, w[i * d:(i + 1) * d], b[i * d:(i + 1) * d]) for i in range(3))
        return q, k, v

    def project(self, x: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        q, k, v = self.project_flat(x)
        return self.split_heads(q), self.split_heads(k), self.split_heads(v)

    def attend_fused(self, q: Tensor, k: Tensor, v: Tensor, mask: Optional[Tensor]) -> Tensor:
        """attend() on [B,T,D] projections, as one MultiHeadAttention node in an ONNX export."""
        return self.out_proj(FusedAttention.apply(q, k, v, mask, self.heads))

    def attend(self, q: Tensor, k: Tensor, v: Tensor, mask: Optional[Tensor]) -> Tensor:
        return self.merge_heads(_attention(q, k, v, mask))

    def attend_after(self, q: Tensor, past: Tuple[Tensor, Tensor], k: Tensor, v: Tensor, mask: Tensor) -> Tensor:
        """Attention over [past | new] keys without concatenating the cache: scores against the past and the new
        rows separately, one softmax over both, two weighted sums. Concatenating copies the whole cache of every
        layer at every step (measured ~15 % of an int8 step at real dims). Same value as attend() over the
        concatenation up to float rounding."""
        past_k, past_v = past
        q = q * (1.0 / math.sqrt(self.head_dim))
        # (K·qᵀ)ᵀ rather than q·Kᵀ: the cache is then the plain left operand of a tall, thin GEMM; ONNX Runtime's
        # q·Kᵀ with a transposed cache operand took about 2 ms a layer at batch 4 (C = 1024).
        past_scores = torch.matmul(past_k, q.transpose(-1, -2)).transpose(-1, -2)
        scores = torch.cat([past_scores, torch.matmul(q, k.transpose(-1, -2))], dim=-1)
        probs = torch.softmax(scores + mask, dim=-1)
        p = past_k.shape[2]
        out = torch.matmul(probs[..., :p], past_v) + torch.matmul(probs[..., p:], v)
        return self.merge_heads(out)

    def merge_heads(self, out: Tensor) -> Tensor:
        return self.out_proj(_heads_last(out))


class DecoderLayer(nn.Module):
    """Pre-LN block: x += SA(norm1(x)); x += FF(norm2(x)); norms are adaptive (stage-conditioned) in the NAR."""

    def __init__(self, dim: int, heads: int, ff_dim: int, adaptive: bool):
        super().__init__()
        self.adaptive = adaptive
        self.self_attn = SelfAttention(dim, heads)
        self.linear1 = nn.Linear(dim, ff_dim)
        self.linear2 = nn.Linear(ff_dim, dim)
        self.norm1 = AdaptiveLayerNorm(dim) if adaptive else nn.LayerNorm(dim)
        self.norm2 = AdaptiveLayerNorm(dim) if adaptive else nn.LayerNorm(dim)

    def _norm(self, norm: nn.Module, x: Tensor, stage_emb: Optional[Tensor]) -> Tensor:
        return norm(x, stage_emb) if self.adaptive else norm(x)

    def forward(
        self,
        x: Tensor,
        mask: Optional[Tensor],
        stage_emb: Optional[Tensor] = None,
        past: Optional[Tuple[Tensor, Tensor]] = None,
    ) -> Tuple[Tensor, Tensor, Tensor]:
        """Returns (output, this call's keys, this call's values); `past` K/V are prepended to the keys."""
        attn = self.self_attn
        normed = self._norm(self.norm1, x, stage_emb)
        if past is None and attn.fused_export and torch.onnx.is_in_onnx_export():
            q, k, v = attn.project_flat(normed)
            x = x + attn.attend_fused(q, k, v, mask)
            k, v = attn.split_heads(k), attn.split_heads(v)  # unused by the NAR graph: pruned at export
        else:
            q, k, v = attn.project(normed)
            x = x + (attn.attend(q, k, v, mask) if past is None else attn.attend_after(q, past, k, v, mask))
        h = self._norm(self.norm2, x, stage_emb)
        x = x + self.linear2(torch.relu(self.linear1(h)))
        return x, k, v


class DecoderStack(nn.Module):
    def __init__(self, dim: int, heads: int, ff_dim: int, layers: int, adaptive: bool):
        super().__init__()
        self.layers = nn.ModuleList([DecoderLayer(dim, heads, ff_dim, adaptive) for _ in range(layers)])
        self.norm = AdaptiveLayerNorm(dim) if adaptive else nn.LayerNorm(dim)
        self.adaptive = adaptive

    def forward(self, x, mask, stage_emb=None, past_keys=None, past_values=None):
        keys, values = [], []
        for i, layer in enumerate(self.layers):
            past = None if past_keys is None else (past_keys[i], past_values[i])
            x, k, v = layer(x, mask, stage_emb, past)
            keys.append(k)
            values.append(v)
        x = self.norm(x, stage_emb) if self.adaptive else self.norm(x)
        return x, torch.stack(keys), torch.stack(values)
