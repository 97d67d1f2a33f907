"""Weightless graph templates for the TypeScript installer (electron/engine/install).

The installer must not re-implement the ONNX export, so the graph structure stays here: for given dims we export
the pack once (the same write_pack path convert.py uses) from a model whose every tensor is random, then find, for
each initializer, the checkpoint transform that produced it (copy, transpose, row slice of a packed projection,
weight-norm fold, LSTM gate reorder, polyphase rearrangement of a folded transposed conv, bias repeat,
concatenation, int8 quantisation of one of these). Matching is by exact value, which is unambiguous because every
tensor is random. The template is the exported graph with those initializers' data removed, plus a recipe per
initializer; initializers that match nothing are weight-independent constants and keep their data. fp32 packs'
draft decoder (arDraftDecoder) has no template of its own: it is the int8 arDecoder variant, named by `draft`.
A test (tests/unit/pack-install.test.ts) proves the filled templates equal convert.py's pack.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from typing import Dict, List, Optional, Tuple

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .codec import PianoEncodec, StreamableConvTranspose1d
from .codec_export import polyphase
from .config import CodecDims, ValleDims
from .pack import DRAFT_FILE, DRAFT_KEY, QUANTIZABLE, declared_io, manifest_dims, write_pack
from .precision import to_int8_kv_cache, to_int8_matmul
from .valle import Valle

TEMPLATE_FORMAT = "midi-valle-pack-template"
TEMPLATE_VERSION = 1
Recipe = dict


def _fully_random(valle_dims: ValleDims, codec_dims: CodecDims, seed: int) -> Tuple[Valle, PianoEncodec]:
    """Every parameter and buffer random (LayerNorms and alphas included), so no two tensors are equal."""
    torch.manual_seed(seed)
    valle, codec = Valle(valle_dims).eval(), PianoEncodec(codec_dims).eval()
    with torch.no_grad():
        for module in (valle, codec):
            for tensor in [*module.parameters(), *module.buffers()]:
                tensor.copy_(torch.randn_like(tensor) * 0.1 + 0.01)
    return valle, codec


def _lstm_reorder(t: torch.Tensor) -> torch.Tensor:
    """PyTorch gate order i,f,g,o -> ONNX i,o,f,c (what torch.onnx's LSTM symbolic does)."""
    i, f, g, o = t.chunk(4, dim=0)
    return torch.cat([i, o, f, g], dim=0)


def _candidates(valle: Valle, codec: PianoEncodec, folded: PianoEncodec) -> List[Tuple[Recipe, np.ndarray]]:
    out: List[Tuple[Recipe, np.ndarray]] = []
    for model_name, state in (("valle", valle.state_dict()), ("codec", codec.state_dict())):
        for key, t in state.items():
            out.append(({"op": "copy", "model": model_name, "key": key}, t))
            if t.dim() == 2:
                out.append(({"op": "transpose", "model": model_name, "key": key}, t.t()))
            if key.endswith(("in_proj_weight", "in_proj_bias")):
                d = t.shape[0] // 3
                for i in range(3):
                    part = t[i * d:(i + 1) * d]
                    out.append(({"op": "rows", "model": model_name, "key": key, "start": i * d, "end": (i + 1) * d}, part))
                    if t.dim() == 2:
                        out.append(({"op": "rows", "model": model_name, "key": key, "start": i * d, "end": (i + 1) * d,
                                     "transpose": True}, part.t()))
    vs = valle.state_dict()
    stage_keys = [k for k in vs if re.match(r"nar_stage_embeddings\.\d+\.word_embeddings\.weight$", k)]
    out.append(({"op": "concat", "model": "valle", "keys": stage_keys}, torch.cat([vs[k] for k in stage_keys], dim=0)))
    cs, fs = codec.state_dict(), folded.state_dict()
    for key in cs:
        if key.endswith(".weight_g"):
            prefix = key[: -len(".weight_g")]
            out.append(({"op": "weightNorm", "model": "codec", "prefix": prefix}, fs[prefix + ".weight"]))
        m = re.match(r"(.*)\.weight_ih_l(\d+)$", key)
        if m:
            prefix, layer = m.group(1), int(m.group(2))
            w = _lstm_reorder(cs[f"{prefix}.weight_ih_l{layer}"]).unsqueeze(0)
            r = _lstm_reorder(cs[f"{prefix}.weight_hh_l{layer}"]).unsqueeze(0)
            b = torch.cat([_lstm_reorder(cs[f"{prefix}.bias_ih_l{layer}"]), _lstm_reorder(cs[f"{prefix}.bias_hh_l{layer}"])]).unsqueeze(0)
            for part, value in (("W", w), ("R", r), ("B", b)):
                out.append(({"op": "lstm", "model": "codec", "prefix": prefix, "layer": layer, "part": part}, value))
    # The decoder's transposed convs are exported in polyphase form (codec_export.py): weight and bias rearranged.
    for name, module in folded.named_modules():
        if isinstance(module, StreamableConvTranspose1d):
            prefix, stride = f"{name}.convtr.convtr", module.convtr.convtr.stride[0]
            poly = polyphase(module)
            out.append(({"op": "polyphase", "model": "codec", "prefix": prefix, "stride": stride}, poly.weight))
            out.append(({"op": "repeat", "model": "codec", "key": prefix + ".bias", "times": stride}, poly.bias))
    return [(recipe, value.detach().contiguous().numpy()) for recipe, value in out]


def _index(candidates: List[Tuple[Recipe, np.ndarray]]) -> Dict[Tuple, Recipe]:
    index: Dict[Tuple, Recipe] = {}
    for recipe, value in candidates:
        index.setdefault((value.shape, value.dtype.str, value.tobytes()), recipe)
    return index


def _templatize(graph: onnx.ModelProto, index: Dict[Tuple, Recipe], int8_sources: Optional[dict] = None,
                fp32_recipes: Optional[Dict[str, Recipe]] = None) -> Dict[str, Recipe]:
    """Clears the data of every initializer with a recipe (in place); returns name -> recipe."""
    recipes: Dict[str, Recipe] = {}
    for tensor in graph.graph.initializer:
        recipe = None
        if int8_sources and tensor.name in int8_sources:
            source, part = int8_sources[tensor.name]
            recipe = {"op": "int8", "part": part, "of": fp32_recipes[source]}
        else:
            value = numpy_helper.to_array(tensor)
            recipe = index.get((value.shape, value.dtype.str, value.tobytes()))
        if recipe is not None:
            if not tensor.HasField("raw_data"):
                raise RuntimeError(f"initializer {tensor.name} does not store raw_data; the template needs it")
            tensor.ClearField("raw_data")
            recipes[tensor.name] = recipe
    return recipes


def build_template(valle_dims: ValleDims, codec_dims: CodecDims, out_dir: str, seed: int = 7,
                   log=print) -> dict:
    valle, codec = _fully_random(valle_dims, codec_dims, seed)
    folded = PianoEncodec(codec.dims)
    folded.load_state_dict(codec.state_dict())
    folded.fold_weight_norm().eval()
    index = _index(_candidates(valle, codec, folded))
    os.makedirs(out_dir, exist_ok=True)
    graphs = {}
    with tempfile.TemporaryDirectory() as tmp:
        manifest = write_pack(valle, codec, tmp, "fp32", {"id": "template"}, {}, log=lambda _: None, draft=False)
        for key, entry in manifest["graphs"].items():
            variants = {}
            fp32 = onnx.load(os.path.join(tmp, entry["file"]))
            int8 = onnx.ModelProto()
            int8.CopyFrom(fp32)
            full_fp32 = {t.name: numpy_helper.to_array(t) for t in fp32.graph.initializer}
            fp32_recipes = _templatize(fp32, index)
            variants["fp32"] = _save(fp32, fp32_recipes, out_dir, entry["file"] + ".fp32")
            if key in QUANTIZABLE:
                sources: Dict[str, Tuple[str, str]] = {}
                count = to_int8_matmul(int8, sources)
                if key == "arDecoder":
                    to_int8_kv_cache(int8)
                onnx.checker.check_model(int8)
                int8_recipes = _templatize(int8, index, sources, fp32_recipes)
                variants["int8"] = _save(int8, int8_recipes, out_dir, entry["file"] + ".int8")
                if key == "arDecoder":  # the int8 decoder reads an int8 KV cache: its own I/O
                    variants["int8"]["io"] = declared_io(valle.dims, codec.dims, kv_cache="int8")[key]
                log(f"  {key}: {count} MatMuls quantised to int8")
            constants = [n for n in full_fp32 if n not in fp32_recipes]
            log(f"{key}: {len(fp32_recipes)} weight initializers, {len(constants)} constant: {', '.join(constants)}")
            graphs[key] = {"file": entry["file"], **variants}
    template = {
        "format": TEMPLATE_FORMAT,
        "formatVersion": TEMPLATE_VERSION,
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "valle": valle.dims.to_json(),
        "codec": codec.dims.to_json(),
        "stateDict": {
            "valle": [[k, list(v.shape)] for k, v in valle.state_dict().items()],
            "codec": [[k, list(v.shape)] for k, v in codec.state_dict().items()],
        },
        **manifest_dims(valle.dims, codec.dims),
        "io": declared_io(valle.dims, codec.dims),
        "graphs": graphs,
        # fp32 packs' arDraftDecoder is byte for byte the int8 arDecoder (pack.write_pack): the installer fills that
        # variant again under this key and file name, listed in pack.json right after arDecoder.
        "draft": {"key": DRAFT_KEY, "file": DRAFT_FILE, "graph": "arDecoder", "variant": "int8"},
    }
    write_template_json(template, os.path.join(out_dir, "template.json"))
    return template


def write_template_json(template: dict, path: str) -> None:
    """Indented JSON with lists and objects of scalars (shapes, recipes) on one line, so a diff shows what changed."""
    text = json.dumps(template, indent=1)
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    text = re.sub(r"\{\s+([^\[\]{}]*?)\s+\}", lambda m: "{" + ", ".join(x.strip() for x in m.group(1).split(",\n")) + "}", text)
    with open(path, "w") as f:
        f.write(text + "\n")


def _save(model: onnx.ModelProto, recipes: Dict[str, Recipe], out_dir: str, name: str) -> dict:
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(model.SerializeToString())
    return {"template": name, "initializers": recipes}
