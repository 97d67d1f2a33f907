"""Pack export: the committed tiny pack is what the code produces, graphs are valid ONNX with the declared
I/O, and the fp16/int8 variants are structurally what they claim to be."""
import json
import math
import os
import shutil
import tempfile
import unittest

import onnx

from helpers import ROOT
from midivalle.config import TINY_CODEC, TINY_VALLE
from midivalle.export import GRAPHS
from midivalle.fixtures import build_fixtures
from midivalle.pack import sha256_file, write_pack
from midivalle.precision import kv_cache_input_names
from midivalle.synthetic import random_models

TINY_DIR = os.path.join(ROOT, "packs", "tiny")


def _ops(path):
    return {n.op_type for n in onnx.load(path).graph.node}


class CommittedTinyPackTest(unittest.TestCase):
    def test_manifest_checksums_and_io(self):
        with open(os.path.join(TINY_DIR, "pack.json")) as f:
            manifest = json.load(f)
        self.assertEqual(set(manifest["graphs"]), set(GRAPHS))
        for key, entry in manifest["graphs"].items():
            path = os.path.join(TINY_DIR, entry["file"])
            self.assertEqual(sha256_file(path), entry["sha256"], key)
            graph = onnx.load(path).graph
            self.assertEqual([i.name for i in graph.input], [i["name"] for i in entry["inputs"]])
            self.assertEqual([o.name for o in graph.output], [o["name"] for o in entry["outputs"]])
        total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(TINY_DIR) for f in fs)
        self.assertLess(total, 5_000_000)

    def test_int8_kv_decoder_fixture_is_the_committed_decoder_rewritten(self):
        from midivalle.fixtures import INT8_KV_DECODER, write_int8_kv_decoder

        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "fixtures"))
            shutil.copy(os.path.join(TINY_DIR, "ar_decoder.onnx"), tmp)
            fresh = write_int8_kv_decoder(tmp)
            with open(fresh, "rb") as a, open(os.path.join(TINY_DIR, "fixtures", INT8_KV_DECODER), "rb") as b:
                self.assertEqual(a.read(), b.read(), "re-run: python3 native-models/make_test_pack.py --dims tiny")

    def test_fixtures_are_reproduced_by_the_current_code(self):
        """Seed 1 of make_test_pack --dims tiny: the committed parity fixtures must follow from this code."""
        with open(os.path.join(TINY_DIR, "fixtures", "parity.json")) as f:
            committed = json.load(f)
        valle, codec = random_models(TINY_VALLE, TINY_CODEC, seed=1)
        fresh = build_fixtures(valle, codec)
        for key in ("tokens", "greedy", "codecEncode", "narStage", "sampled"):
            self.assertEqual(fresh[key], committed[key], key)
        import base64
        import numpy as np

        a = np.frombuffer(base64.b64decode(fresh["arPrefill"]["logits"]["base64"]), "<f4")
        b = np.frombuffer(base64.b64decode(committed["arPrefill"]["logits"]["base64"]), "<f4")
        self.assertLess(float(np.abs(a - b).max()), 1e-6)


class PrecisionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.valle, cls.codec = random_models(TINY_VALLE, TINY_CODEC, seed=2)

    def _write(self, precision):
        tmp = tempfile.mkdtemp()
        manifest = write_pack(self.valle, self.codec, tmp, precision, {"id": "t"}, {}, log=lambda _: None)
        return tmp, manifest

    def test_int8_rewrites_the_transformer_matmuls_only(self):
        tmp, manifest = self._write("int8")
        for key in ("arDecoder", "narStage"):
            self.assertEqual(manifest["graphs"][key]["precision"], "int8")
            ops = _ops(os.path.join(tmp, manifest["graphs"][key]["file"]))
            self.assertIn("MatMulInteger", ops)
            self.assertIn("DynamicQuantizeLinear", ops)
        self.assertEqual(manifest["graphs"]["codecDecode"]["precision"], "fp32")
        self.assertEqual(manifest["graphs"]["arEmbed"]["precision"], "fp32")  # a Gather only
        self.assertNotIn("MatMulInteger", _ops(os.path.join(tmp, "codec_decoder.onnx")))

    def test_int8_ar_decoder_reads_an_int8_kv_cache(self):
        tmp, manifest = self._write("int8")
        entry = manifest["graphs"]["arDecoder"]
        graph = onnx.load(os.path.join(tmp, entry["file"])).graph
        layers, T = TINY_VALLE.ar_layers, onnx.TensorProto
        want = kv_cache_input_names(layers)
        self.assertEqual([i["name"] for i in entry["inputs"]], ["x", "mask", *want])
        self.assertEqual([i.name for i in graph.input], ["x", "mask", *want])
        types = {i.name: i.type.tensor_type.elem_type for i in graph.input}
        self.assertEqual((types["past_key_0"], types["past_value_0"], types["past_key_scale_0"]), (T.UINT8, T.INT8, T.FLOAT))
        self.assertEqual(entry["inputs"][3], {"name": "past_key_scale_0", "type": "float32", "shape": ["B", TINY_VALLE.heads, "P", 1]})
        self.assertEqual(entry["inputs"][5], {"name": "past_value_scale_0", "type": "float32", "shape": ["B", TINY_VALLE.heads, 1, "P"]})
        ops = [n.op_type for n in graph.node]
        self.assertEqual(ops.count("MatMulInteger"), 6 * layers + 1 + 2 * layers)  # weights, logits head, cache reads
        self.assertEqual(ops.count("MatMul"), 2 * layers)  # the new rows' scores and values stay fp32
        # fp32 packs keep the fp32 cache
        _, fp32 = self._write("fp32")
        self.assertEqual([i["type"] for i in fp32["graphs"]["arDecoder"]["inputs"][2:]], ["float32"] * 2 * layers)

    def test_ar_decoder_reshapes_take_constant_shapes(self):
        """graph_passes.fold_reshape_shapes: no traced shape arithmetic left in front of a Reshape; the committed
        tiny decoder (whose tokens the engine's parity tests check) is folded the same way."""
        for precision in ("fp32", "int8"):
            tmp, _ = self._write(precision)
            for path in (os.path.join(tmp, "ar_decoder.onnx"), os.path.join(TINY_DIR, "ar_decoder.onnx")):
                graph = onnx.load(path).graph
                constant = {i.name for i in graph.initializer}
                reshapes = [n for n in graph.node if n.op_type == "Reshape"]
                self.assertEqual(len(reshapes), 4 * TINY_VALLE.ar_layers, path)  # q, k, v heads first; heads last
                self.assertTrue(all(n.input[1] in constant for n in reshapes), path)
                # what Shape is left sizes the past/new split of the attention weights (one a layer)
                shapes = [n for n in graph.node if n.op_type == "Shape"]
                self.assertEqual(len(shapes), TINY_VALLE.ar_layers, path)

    def test_fp16_halves_the_weights_and_keeps_float32_boundaries(self):
        tmp, manifest = self._write("fp16")
        fp32_size = os.path.getsize(os.path.join(TINY_DIR, "ar_decoder.onnx"))
        self.assertLess(os.path.getsize(os.path.join(tmp, "ar_decoder.onnx")), 0.6 * fp32_size)
        graph = onnx.load(os.path.join(tmp, "ar_decoder.onnx")).graph
        self.assertEqual(graph.input[2].type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        self.assertEqual(graph.output[0].type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        self.assertTrue(all(g["precision"] == "fp16" for g in manifest["graphs"].values()))


class FusedNarAttentionTest(unittest.TestCase):
    """The NAR exports its attention as com.microsoft MultiHeadAttention (issue 17); the AR decoder does not."""

    @classmethod
    def setUpClass(cls):
        cls.valle, cls.codec = random_models(TINY_VALLE, TINY_CODEC, seed=3)
        cls.tmp = tempfile.mkdtemp()
        write_pack(cls.valle, cls.codec, cls.tmp, "int8", {"id": "t"}, {}, log=lambda _: None)

    def test_reference_forward_is_the_plain_attention(self):
        import torch

        from midivalle.layers import FusedAttention
        from midivalle.valle import padding_mask

        attn = self.valle.nar_decoder.layers[0].self_attn
        x = torch.randn(2, 9, TINY_VALLE.d_model)
        mask = padding_mask([4, 3], 4, [5, 2])
        q, k, v = attn.project_flat(x)
        with torch.no_grad():
            fused = attn.out_proj(FusedAttention.apply(q, k, v, mask, attn.heads))
            plain = attn.attend(attn.split_heads(q), attn.split_heads(k), attn.split_heads(v), mask)
        self.assertLess(float((fused - plain).abs().max()), 1e-6)

    def test_nar_attention_is_one_fused_node_a_layer_and_the_matmuls_stay_int8(self):
        model = onnx.load(os.path.join(self.tmp, "nar_stage.onnx"))
        domains = {o.domain: o.version for o in model.opset_import}
        self.assertEqual(domains.get("com.microsoft"), 1)
        top = [n.op_type for n in model.graph.node]
        layers = TINY_VALLE.nar_layers
        self.assertEqual(top.count("If"), layers)  # padded batch rows: mask given; one row: flash path, no mask
        for node in (n for n in model.graph.node if n.op_type == "If"):
            branches = {a.name: [b.op_type for b in a.g.node] for a in node.attribute}
            self.assertEqual(branches["else_branch"], ["MultiHeadAttention"])
            self.assertEqual(branches["then_branch"].count("MultiHeadAttention"), 1)
        self.assertNotIn("Softmax", top)
        self.assertEqual(top.count("MatMulInteger"), 6 * layers)  # q, k, v, out, two feed-forward
        self.assertEqual(top.count("MatMul"), 1)  # the stage head (its weight is chosen at run time)

    def test_ar_decoder_keeps_its_own_attention(self):
        model = onnx.load(os.path.join(self.tmp, "ar_decoder.onnx"))
        self.assertNotIn("com.microsoft", {o.domain for o in model.opset_import})
        self.assertIn("Softmax", {n.op_type for n in model.graph.node})


if __name__ == "__main__":
    unittest.main()
