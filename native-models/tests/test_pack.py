"""Pack export: the committed tiny pack is what the code produces, graphs are valid ONNX with the declared
I/O, the fp16/int8 variants are structurally what they claim to be, and fp32 packs carry the int8 draft decoder."""
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
from midivalle.pack import DRAFT_FILE, DRAFT_KEY, declared_io, sha256_file, write_pack
from midivalle.precision import kv_cache_input_names
from midivalle.synthetic import random_models

TINY_DIR = os.path.join(ROOT, "packs", "tiny")


def _ops(path):
    return {n.op_type for n in onnx.load(path).graph.node}


_ONNX_TYPES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.INT64: "int64", onnx.TensorProto.UINT8: "uint8",
               onnx.TensorProto.INT8: "int8"}


def _graph_io(path):
    """{"inputs": [...], "outputs": [...]} as the graph itself declares them, in pack.json's form."""
    graph = onnx.load(path).graph

    def spec(v):
        dims = [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
        return {"name": v.name, "type": _ONNX_TYPES[v.type.tensor_type.elem_type], "shape": dims}

    return {"inputs": [spec(v) for v in graph.input], "outputs": [spec(v) for v in graph.output]}


class CommittedTinyPackTest(unittest.TestCase):
    def test_manifest_checksums_and_io(self):
        with open(os.path.join(TINY_DIR, "pack.json")) as f:
            manifest = json.load(f)
        self.assertEqual(set(manifest["graphs"]), set(GRAPHS) | {DRAFT_KEY})  # an fp32 pack: with its draft
        for key, entry in manifest["graphs"].items():
            path = os.path.join(TINY_DIR, entry["file"])
            self.assertEqual(sha256_file(path), entry["sha256"], key)
            self.assertEqual(os.path.getsize(path), entry["bytes"], key)
            self.assertEqual(_graph_io(path), {"inputs": entry["inputs"], "outputs": entry["outputs"]}, key)
        self.assertEqual(manifest["graphs"]["arDecoder"]["outputs"][0],
                         {"name": "logits", "type": "float32", "shape": ["B", "T", TINY_VALLE.audio_tokens + 1]})
        draft = manifest["graphs"][DRAFT_KEY]
        self.assertEqual((draft["file"], draft["precision"]), (DRAFT_FILE, "int8"))
        int8_io = declared_io(TINY_VALLE, TINY_CODEC, kv_cache="int8")["arDecoder"]
        self.assertEqual({"inputs": draft["inputs"], "outputs": draft["outputs"]}, int8_io)
        self.assertEqual(sorted(os.listdir(os.path.join(ROOT, "packs"))), ["tiny"])
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
        # the decoder's outputs as the graph gives them: logits for every row
        s, tp = len(committed["tokens"]), committed["narStage"]["promptFrames"]
        v1 = TINY_VALLE.audio_tokens + 1
        self.assertEqual(committed["arPrefill"]["logits"]["shape"], [1, s + tp, v1])
        self.assertEqual(committed["arStep"]["logits"]["shape"], [1, 1, v1])
        self.assertEqual(committed["batch"]["shortLogits"]["shape"], [1, len(committed["batch"]["shortTokens"]) + tp, v1])

    def test_committed_draft_is_the_int8_packs_decoder(self):
        """ar_draft_decoder.onnx is, byte for byte, what an int8 pack of the same weights has as ar_decoder.onnx."""
        valle, codec = random_models(TINY_VALLE, TINY_CODEC, seed=1)
        with tempfile.TemporaryDirectory() as tmp:
            manifest = write_pack(valle, codec, tmp, "int8", {"id": "t"}, {}, log=lambda _: None)
            with open(os.path.join(tmp, "ar_decoder.onnx"), "rb") as a, open(os.path.join(TINY_DIR, DRAFT_FILE), "rb") as b:
                self.assertEqual(a.read(), b.read(), "re-run: python3 native-models/make_test_pack.py --dims tiny")
        with open(os.path.join(TINY_DIR, "pack.json")) as f:
            draft = json.load(f)["graphs"][DRAFT_KEY]
        self.assertEqual({**draft, "file": "ar_decoder.onnx"}, manifest["graphs"]["arDecoder"])


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

    def test_nar_projects_the_whole_stage_table_before_picking_a_row(self):
        """graph_passes.project_stage_table_first: every AdaptiveLayerNorm projection reads only constants (so ONNX
        Runtime folds it and frees its weights) and its row is picked after; the committed tiny NAR is the same."""
        norms = 2 * TINY_VALLE.nar_layers + 1
        for precision in ("fp32", "int8"):
            tmp, _ = self._write(precision)
            for path in (os.path.join(tmp, "nar_stage.onnx"), os.path.join(TINY_DIR, "nar_stage.onnx")):
                graph = onnx.load(path).graph
                constant = {i.name: list(i.dims) for i in graph.initializer}
                producer = {o: n for n in graph.node for o in n.output}
                projections = [n for n in graph.node if n.op_type == "Gemm" and "project_layer" in n.name]
                self.assertEqual(len(projections), norms, path)
                for gemm in projections:
                    self.assertTrue(all(i in constant for i in gemm.input), gemm.name)
                    self.assertEqual(constant[gemm.input[0]], [3, TINY_VALLE.d_model])  # one row a NAR stage
                    picks = [n for n in graph.node if n.op_type == "Gather" and n.input[0] == gemm.output[0]]
                    self.assertEqual(len(picks), 1, gemm.name)
                    self.assertEqual(producer[picks[0].input[1]].op_type, "Sub")  # stage - 1
                # the old per-stage pick of the embedding is gone
                self.assertFalse(any(n.op_type == "Gather" and n.input[0] in constant
                                     and constant[n.input[0]] == [3, TINY_VALLE.d_model] for n in graph.node))

    def test_fp32_packs_carry_the_int8_draft_decoder_unless_told_not_to(self):
        tmp, manifest = self._write("fp32")
        self.assertEqual(list(manifest["graphs"])[2:4], ["arDecoder", DRAFT_KEY])
        draft = manifest["graphs"][DRAFT_KEY]
        path = os.path.join(tmp, DRAFT_FILE)
        self.assertEqual((draft["file"], draft["precision"], draft["sha256"]), (DRAFT_FILE, "int8", sha256_file(path)))
        self.assertEqual(_graph_io(path), {"inputs": draft["inputs"], "outputs": draft["outputs"]})
        self.assertEqual(draft["outputs"], manifest["graphs"]["arDecoder"]["outputs"])
        ops = [n.op_type for n in onnx.load(path).graph.node]
        layers = TINY_VALLE.ar_layers
        self.assertEqual(ops.count("MatMulInteger"), 6 * layers + 1 + 2 * layers)  # as an int8 pack's decoder
        self.assertEqual(ops.count("MatMul"), 2 * layers)
        _, int8 = self._write("int8")
        self.assertEqual(draft, {**int8["graphs"]["arDecoder"], "file": DRAFT_FILE})
        # the fp32 decoder itself is unchanged by the draft
        self.assertEqual(manifest["graphs"]["arDecoder"]["precision"], "fp32")
        # without the draft: no entry, no file (also none left over from an earlier write to the same folder)
        bare = write_pack(self.valle, self.codec, tmp, "fp32", {"id": "t"}, {}, log=lambda _: None, draft=False)
        self.assertNotIn(DRAFT_KEY, bare["graphs"])
        self.assertFalse(os.path.exists(path))
        self.assertEqual(bare["graphs"]["arDecoder"], manifest["graphs"]["arDecoder"])

    def test_int8_and_fp16_packs_have_no_draft(self):
        for precision in ("int8", "fp16"):
            tmp, manifest = self._write(precision)
            self.assertEqual(set(manifest["graphs"]), set(GRAPHS), precision)
            self.assertFalse(os.path.exists(os.path.join(tmp, DRAFT_FILE)), precision)

    def test_convert_no_draft_flag(self):
        import torch

        import convert
        from midivalle.synthetic import codec_checkpoint, valle_checkpoint

        with tempfile.TemporaryDirectory() as tmp:
            valle_path, codec_path = os.path.join(tmp, "v.pt"), os.path.join(tmp, "c.bin")
            torch.save(valle_checkpoint(self.valle), valle_path)
            torch.save(codec_checkpoint(self.codec), codec_path)
            for flags, want in (([], True), (["--no-draft"], False)):
                out = os.path.join(tmp, "pack" + "".join(flags))
                args = convert.parse_args(["--valle", valle_path, "--codec", codec_path, "--out", out,
                                           "--heads", str(TINY_VALLE.heads), *flags])
                manifest = convert.convert(args, log=lambda _: None)
                self.assertEqual(DRAFT_KEY in manifest["graphs"], want, flags)
                self.assertEqual(os.path.exists(os.path.join(out, DRAFT_FILE)), want, flags)

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
