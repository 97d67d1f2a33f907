"""The export form of the codec decoder (midivalle/codec_export.py, issue 17) against the reference modules."""
import os
import tempfile
import unittest

import onnx
import torch
from torch import nn

from helpers import ROOT  # noqa: F401  (sets sys.path)
from midivalle.codec import StreamableConvTranspose1d
from midivalle.codec_export import PolyphaseConvTranspose1d, export_decoder, polyphase
from midivalle.config import REAL_CODEC, TINY_CODEC, TINY_VALLE, CodecDims
from midivalle.pack import write_pack
from midivalle.synthetic import random_models
from midivalle.codec import PianoEncodec


def _folded(dims: CodecDims, seed: int) -> PianoEncodec:
    torch.manual_seed(seed)
    return PianoEncodec(dims).eval().fold_weight_norm()


class PolyphaseTest(unittest.TestCase):
    def test_equals_conv_transpose_and_trim_for_the_real_ratios(self):
        """Every real upsampling stage (ratios 8, 5, 4, 4; real channel widths up to 256 to keep it quick),
        weight-normed then folded as the export does, with a bias, at a few input lengths."""
        torch.manual_seed(0)
        width = 256
        for ratio in REAL_CODEC.ratios:
            reference = StreamableConvTranspose1d(width, width // 2, 2 * ratio, ratio).eval()
            with torch.no_grad():
                reference.convtr.convtr.bias.normal_()
            nn.utils.remove_weight_norm(reference.convtr.convtr)
            mine = polyphase(reference)
            for frames in (1, 2, 7, 40):
                x = torch.randn(2, width, frames)
                with torch.no_grad():
                    want = reference(x)
                    got = mine(x)
                self.assertEqual(got.shape, want.shape, f"ratio {ratio}, {frames} frames")
                self.assertEqual(got.shape[-1], frames * ratio)
                self.assertLess(float((got - want).abs().max()), 1e-5, f"ratio {ratio}, {frames} frames")

    def test_odd_trims_and_unfolded_weights_are_handled(self):
        convtr = nn.ConvTranspose1d(3, 2, 6, 3)
        x = torch.randn(1, 3, 5)
        for left, right in ((0, 0), (2, 1), (0, 3)):
            full = convtr(x)
            with torch.no_grad():
                got = PolyphaseConvTranspose1d(convtr, left, right)(x)
            self.assertLess(float((got - full[..., left : full.shape[-1] - right]).abs().max()), 1e-6)
        with self.assertRaises(ValueError):
            PolyphaseConvTranspose1d(nn.utils.weight_norm(nn.ConvTranspose1d(3, 2, 6, 3)), 2, 1)
        with self.assertRaises(ValueError):
            PolyphaseConvTranspose1d(nn.ConvTranspose1d(3, 2, 5, 3), 1, 1)

    def test_export_decoder_equals_the_reference_decoder(self):
        small_real = CodecDims(n_filters=8)  # the real ratios, kernels and LSTM, narrower channels
        for dims in (TINY_CODEC, small_real):
            codec = _folded(dims, seed=4)
            latent = torch.randn(2, dims.dimension, 9)
            with torch.no_grad():
                want = codec.decoder(latent)
                got = export_decoder(codec.decoder)(latent)
            self.assertEqual(got.shape, want.shape)
            self.assertLess(float((got - want).abs().max()), 1e-5 * max(1.0, float(want.abs().max())))


class DecoderGraphTest(unittest.TestCase):
    def test_graph_has_no_conv_transpose_pad_or_weight_norm_arithmetic(self):
        valle, codec = random_models(TINY_VALLE, TINY_CODEC, seed=3)
        tmp = tempfile.mkdtemp()
        write_pack(valle, codec, tmp, "fp32", {"id": "t"}, {}, log=lambda _: None)
        ops = [n.op_type for n in onnx.load(os.path.join(tmp, "codec_decoder.onnx")).graph.node]
        for op in ("ConvTranspose", "Pad", "ReduceL2", "Div", "Sqrt", "Pow"):
            self.assertNotIn(op, ops)
        self.assertEqual(ops.count("Elu"), 1 + 2 * len(TINY_CODEC.ratios) * TINY_CODEC.n_residual_layers + len(TINY_CODEC.ratios))
        self.assertEqual(ops.count("Conv"), 2 + len(TINY_CODEC.ratios) * (1 + 2 * TINY_CODEC.n_residual_layers))
        # the state_dict keys of the reference codec are unchanged (the official checkpoint still loads)
        self.assertTrue(any(k.endswith("convtr.convtr.weight_v") for k in codec.state_dict()))


if __name__ == "__main__":
    unittest.main()
