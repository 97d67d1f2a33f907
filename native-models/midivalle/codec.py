"""Piano-Encodec: audiocraft's SEANet encoder/decoder (non-causal, weight-normed convs, 2-layer LSTM) and a
4 x 2048 x D residual VQ, parameterised by CodecDims. Key names follow audiocraft's `best_state` (spec §6)."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils import remove_weight_norm, weight_norm

from .config import CodecDims


def _pad1d(x: Tensor, left: int, right, mode: str) -> Tensor:
    """audiocraft pad1d: 'reflect' on inputs shorter than the pad first zero-extends them (eager only)."""
    if mode != "reflect":
        return F.pad(x, (left, right), mode=mode)
    length = x.shape[-1]
    max_pad = max(left, int(right))
    extra = 0
    if not torch.jit.is_tracing() and isinstance(length, int) and length <= max_pad:
        extra = max_pad - length + 1
        x = F.pad(x, (0, extra))
    padded = F.pad(x, (left, right), mode="reflect")
    return padded if extra == 0 else padded[..., : padded.shape[-1] - extra]


class NormConv1d(nn.Module):
    def __init__(self, cin, cout, kernel, stride=1, dilation=1):
        super().__init__()
        self.conv = weight_norm(nn.Conv1d(cin, cout, kernel, stride, dilation=dilation))


class StreamableConv1d(nn.Module):
    """Non-causal conv with 'same'-style padding plus the extra right padding that makes the last window full."""

    def __init__(self, cin, cout, kernel, stride=1, dilation=1, pad_mode="constant"):
        super().__init__()
        self.conv = NormConv1d(cin, cout, kernel, stride, dilation)
        self.stride = stride
        self.pad_mode = pad_mode
        self.effective_kernel = (kernel - 1) * dilation + 1

    def forward(self, x: Tensor) -> Tensor:
        pad_total = self.effective_kernel - self.stride
        pad_right = pad_total // 2
        pad_left = pad_total - pad_right
        # With pad_total = k - stride the extra padding reduces to (-length) mod stride (kept in-graph).
        extra = 0 if self.stride == 1 else (self.stride - x.shape[-1] % self.stride) % self.stride
        return self.conv.conv(_pad1d(x, pad_left, pad_right + extra, self.pad_mode))


class NormConvTranspose1d(nn.Module):
    def __init__(self, cin, cout, kernel, stride):
        super().__init__()
        self.convtr = weight_norm(nn.ConvTranspose1d(cin, cout, kernel, stride))


class StreamableConvTranspose1d(nn.Module):
    def __init__(self, cin, cout, kernel, stride):
        super().__init__()
        self.convtr = NormConvTranspose1d(cin, cout, kernel, stride)
        self.trim_total = kernel - stride

    def forward(self, x: Tensor) -> Tensor:
        y = self.convtr.convtr(x)
        right = self.trim_total // 2
        left = self.trim_total - right
        return y[..., left : y.shape[-1] - right]


class ResBlock(nn.Module):
    def __init__(self, dim, dims: CodecDims, dilation: int):
        super().__init__()
        hidden = dim // dims.compress
        self.block = nn.Sequential(
            nn.ELU(alpha=1.0),
            StreamableConv1d(dim, hidden, dims.residual_kernel_size, dilation=dilation, pad_mode=dims.pad_mode),
            nn.ELU(alpha=1.0),
            StreamableConv1d(hidden, dim, 1, pad_mode=dims.pad_mode),
        )

    def forward(self, x: Tensor) -> Tensor:
        return x + self.block(x)  # true_skip: identity shortcut


class StreamableLSTM(nn.Module):
    def __init__(self, dim: int, layers: int):
        super().__init__()
        self.lstm = nn.LSTM(dim, dim, layers)

    def forward(self, x: Tensor) -> Tensor:
        x = x.permute(2, 0, 1)
        y, _ = self.lstm(x)
        return (y + x).permute(1, 2, 0)


def _res_blocks(dim, dims: CodecDims) -> List[nn.Module]:
    return [ResBlock(dim, dims, dims.dilation_base ** j) for j in range(dims.n_residual_layers)]


class SEANetEncoder(nn.Module):
    def __init__(self, dims: CodecDims):
        super().__init__()
        mult = 1
        layers: List[nn.Module] = [
            StreamableConv1d(dims.channels, dims.n_filters, dims.kernel_size, pad_mode=dims.pad_mode)
        ]
        for ratio in reversed(dims.ratios):
            width = mult * dims.n_filters
            layers += _res_blocks(width, dims)
            layers += [nn.ELU(alpha=1.0), StreamableConv1d(width, width * 2, ratio * 2, ratio, pad_mode=dims.pad_mode)]
            mult *= 2
        width = mult * dims.n_filters
        if dims.lstm_layers:
            layers.append(StreamableLSTM(width, dims.lstm_layers))
        layers += [nn.ELU(alpha=1.0), StreamableConv1d(width, dims.dimension, dims.last_kernel_size, pad_mode=dims.pad_mode)]
        self.model = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.model(x)


class SEANetDecoder(nn.Module):
    def __init__(self, dims: CodecDims):
        super().__init__()
        mult = 2 ** len(dims.ratios)
        width = mult * dims.n_filters
        layers: List[nn.Module] = [StreamableConv1d(dims.dimension, width, dims.kernel_size, pad_mode=dims.pad_mode)]
        if dims.lstm_layers:
            layers.append(StreamableLSTM(width, dims.lstm_layers))
        for ratio in dims.ratios:
            width = mult * dims.n_filters
            layers += [nn.ELU(alpha=1.0), StreamableConvTranspose1d(width, width // 2, ratio * 2, ratio)]
            layers += _res_blocks(width // 2, dims)
            mult //= 2
        layers += [nn.ELU(alpha=1.0), StreamableConv1d(dims.n_filters, dims.channels, dims.last_kernel_size, pad_mode=dims.pad_mode)]
        self.model = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.model(x)


class Codebook(nn.Module):
    """EuclideanCodebook buffers; only `embed` is used at inference, the others exist for strict loading."""

    def __init__(self, dim: int, bins: int):
        super().__init__()
        self.register_buffer("inited", torch.ones(1))
        self.register_buffer("cluster_size", torch.zeros(bins))
        self.register_buffer("embed", torch.randn(bins, dim))
        self.register_buffer("embed_avg", torch.zeros(bins, dim))


class VQLayer(nn.Module):
    def __init__(self, dim: int, bins: int):
        super().__init__()
        self._codebook = Codebook(dim, bins)


class _VQStack(nn.Module):
    def __init__(self, dims: CodecDims):
        super().__init__()
        self.layers = nn.ModuleList([VQLayer(dims.dimension, dims.bins) for _ in range(dims.n_q)])


class ResidualVQ(nn.Module):
    def __init__(self, dims: CodecDims):
        super().__init__()
        self.vq = _VQStack(dims)

    def encode(self, latent: Tensor) -> Tensor:
        """latent [B,D,T] -> codes int64 [B,nq,T] (nearest codeword on the running residual)."""
        residual = latent.transpose(1, 2)
        codes = []
        for layer in self.vq.layers:
            embed = layer._codebook.embed
            dist = -(residual.pow(2).sum(-1, keepdim=True) - 2 * torch.matmul(residual, embed.t()) + embed.pow(2).sum(-1))
            index = dist.argmax(dim=-1)
            residual = residual - F.embedding(index, embed)
            codes.append(index)
        return torch.stack(codes, dim=1)

    def decode(self, codes: Tensor) -> Tensor:
        total = None
        for k, layer in enumerate(self.vq.layers):
            term = F.embedding(codes[:, k], layer._codebook.embed)
            total = term if total is None else total + term
        return total.transpose(1, 2)


class PianoEncodec(nn.Module):
    def __init__(self, dims: CodecDims):
        super().__init__()
        self.dims = dims
        self.encoder = SEANetEncoder(dims)
        self.decoder = SEANetDecoder(dims)
        self.quantizer = ResidualVQ(dims)

    def encode(self, wav: Tensor) -> Tensor:
        """wav [B,1,N] at 32 kHz -> codes [B,nq,ceil(N/hop)]."""
        return self.quantizer.encode(self.encoder(wav))

    def decode(self, codes: Tensor) -> Tensor:
        """codes [B,nq,F] -> wav [B,1,hop*F]."""
        return self.decoder(self.quantizer.decode(codes))

    def fold_weight_norm(self) -> "PianoEncodec":
        """Replace every weight_g/weight_v pair by the plain weight (in place; for export)."""
        for module in self.modules():
            if isinstance(module, (nn.Conv1d, nn.ConvTranspose1d)) and hasattr(module, "weight_g"):
                remove_weight_norm(module)
        return self
