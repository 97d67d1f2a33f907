"""Export-only rewrites of the (weight-norm-folded) SEANet decoder; the reference modules in codec.py and their
state_dict keys are untouched, these are built from them when codec_decoder.onnx is exported.

Why: ONNX Runtime's CPU ConvTranspose goes through col2im and was the decoder's largest cost
(docs/benchmarks.md, issue 17), and every StreamableConv1d exported a separate Pad node in front of its Conv.

* PolyphaseConvTranspose1d: a ConvTranspose1d with stride s and kernel 2s writes output sample m*s + p from
  input frames m-1 (tap p+s) and m (tap p) only. So phase p is a 2-tap Conv1d over the input padded by one zero
  frame on each side, and all s phases together are one Conv1d with s*C_out output channels (channel o*s + p);
  a reshape/transpose interleaves the phases and the StreamableConvTranspose1d trim is a slice, as before.
* Same-padded Conv1d: a stride-1 'constant' (zero) padded StreamableConv1d with equal left/right padding is a
  Conv1d with that padding attribute, which ONNX Runtime applies inside the Conv kernel (no Pad node, no copy).
"""
from __future__ import annotations

import copy

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .codec import SEANetDecoder, StreamableConv1d, StreamableConvTranspose1d


class PolyphaseConvTranspose1d(nn.Module):
    """Equals StreamableConvTranspose1d (ConvTranspose1d(kernel 2s, stride s) + trim) for plain weights."""

    def __init__(self, convtr: nn.ConvTranspose1d, trim_left: int, trim_right: int):
        super().__init__()
        stride = convtr.stride[0]
        if (convtr.kernel_size[0] != 2 * stride or convtr.padding[0] != 0 or convtr.dilation[0] != 1
                or convtr.groups != 1 or convtr.output_padding[0] != 0):
            raise ValueError("polyphase form needs kernel = 2 * stride, no padding, dilation 1, one group")
        if hasattr(convtr, "weight_g"):
            raise ValueError("fold weight_norm first: the polyphase weights are derived from the plain weight")
        w = convtr.weight.detach()  # [C_in, C_out, 2s]
        c_in, c_out, _ = w.shape
        # Conv1d weight [C_out * s, C_in, 2]: tap 0 meets input frame m-1 (ConvTranspose tap p+s), tap 1 frame m (tap p).
        later = w[:, :, stride:].permute(1, 2, 0)  # [C_out, s, C_in]
        earlier = w[:, :, :stride].permute(1, 2, 0)
        weight = torch.stack([later, earlier], dim=-1).reshape(c_out * stride, c_in, 2)
        self.weight = nn.Parameter(weight.contiguous(), requires_grad=False)
        bias = convtr.bias.detach() if convtr.bias is not None else torch.zeros(c_out)
        self.bias = nn.Parameter(bias.repeat_interleave(stride), requires_grad=False)
        self.stride = stride
        self.c_out = c_out
        self.trim_left = trim_left
        self.trim_right = trim_right

    def forward(self, x: Tensor) -> Tensor:
        z = F.conv1d(x, self.weight, self.bias, padding=1)  # [B, C_out*s, T+1]
        frames = z.shape[-1]
        y = z.reshape(z.shape[0], self.c_out, self.stride, frames).transpose(2, 3)
        y = y.reshape(z.shape[0], self.c_out, frames * self.stride)  # sample m*s + p
        return y[..., self.trim_left : y.shape[-1] - self.trim_right]


def polyphase(module: StreamableConvTranspose1d) -> PolyphaseConvTranspose1d:
    right = module.trim_total // 2
    return PolyphaseConvTranspose1d(module.convtr.convtr, module.trim_total - right, right)


def same_padded(module: StreamableConv1d) -> nn.Module:
    """The Conv1d with its zero padding as an attribute, or the module itself where that would not be equal."""
    conv = module.conv.conv
    pad_total = module.effective_kernel - module.stride
    if module.stride != 1 or module.pad_mode != "constant" or pad_total % 2 or hasattr(conv, "weight_g"):
        return module
    same = nn.Conv1d(conv.in_channels, conv.out_channels, conv.kernel_size[0], dilation=conv.dilation[0],
                     padding=pad_total // 2, bias=conv.bias is not None)
    same.load_state_dict(conv.state_dict())
    return same


def export_decoder(decoder: SEANetDecoder) -> nn.Module:
    """A copy of a weight-norm-folded decoder with the two rewrites above applied (decoder order unchanged)."""
    layers = []
    for layer in copy.deepcopy(decoder).model:
        if isinstance(layer, StreamableConvTranspose1d):
            layer = polyphase(layer)
        elif isinstance(layer, StreamableConv1d):
            layer = same_padded(layer)
        else:
            block = getattr(layer, "block", None)  # ResBlock: its convs sit in .block
            if block is not None:
                for i, inner in enumerate(block):
                    if isinstance(inner, StreamableConv1d):
                        block[i] = same_padded(inner)
        layers.append(layer)
    return nn.Sequential(*layers).eval()
