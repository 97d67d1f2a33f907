"""Pack export: the committed tiny pack is what the code produces, graphs are valid ONNX with the declared
I/O, and the fp16/int8 variants are structurally what they claim to be."""
import json
import math
import os
import tempfile
import unittest

import onnx

from helpers import ROOT
from midivalle.config import TINY_CODEC, TINY_VALLE
from midivalle.export import GRAPHS
from midivalle.fixtures import build_fixtures
from midivalle.pack import sha256_file, write_pack
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

    def test_fp16_halves_the_weights_and_keeps_float32_boundaries(self):
        tmp, manifest = self._write("fp16")
        fp32_size = os.path.getsize(os.path.join(TINY_DIR, "ar_decoder.onnx"))
        self.assertLess(os.path.getsize(os.path.join(tmp, "ar_decoder.onnx")), 0.6 * fp32_size)
        graph = onnx.load(os.path.join(tmp, "ar_decoder.onnx")).graph
        self.assertEqual(graph.input[2].type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        self.assertEqual(graph.output[0].type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        self.assertTrue(all(g["precision"] == "fp16" for g in manifest["graphs"].values()))


if __name__ == "__main__":
    unittest.main()
