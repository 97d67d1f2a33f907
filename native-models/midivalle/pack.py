"""Writes a model pack: six graphs (fp32 export, then the requested precision), for fp32 packs the int8 draft
decoder, and pack.json."""
from __future__ import annotations

import hashlib
import json
import os
from typing import Callable, Dict, List, Optional

import onnx

from .codec import PianoEncodec
from .config import MIDI_COLUMNS, CodecDims, ValleDims
from .export import export_graphs, past_names
from .graph_passes import fold_reshape_shapes, project_stage_table_first
from .precision import kv_cache_input_names, to_fp16_storage, to_int8_kv_cache, to_int8_matmul
from .valle import Valle

FORMAT = "midi-valle-pack"
FORMAT_VERSION = 2  # 2: one AR decoder graph (ar_embed + ar_decoder) instead of ar_prefill + ar_step
OFFICIAL_LICENCE = "CC BY-NC-SA 4.0"
OFFICIAL_ATTRIBUTION = (
    "MIDI-VALLE and Piano-Encodec weights by Jingjing Tang et al. (ISMIR 2025, arXiv 2507.08530), "
    "Zenodo record 15976272; non-commercial use only."
)
QUANTIZABLE = ("arDecoder", "narStage")  # graphs that carry the big MatMuls


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _past_inputs(L: int, H: int, Dh: int, kv_cache: str) -> List[dict]:
    """arDecoder's cache inputs: an fp32 cache, or int8 keys/values with per-slot scales (int8 packs)."""
    if kv_cache == "float32":
        return [{"name": name, "type": "float32", "shape": ["B", H, "P", Dh]} for name in past_names(L)]
    shapes = {"key": ("uint8", ["B", H, "P", Dh]), "key_scale": ("float32", ["B", H, "P", 1]),
              "value": ("int8", ["B", H, "P", Dh]), "value_scale": ("float32", ["B", H, 1, "P"])}
    out = []
    for name in kv_cache_input_names(L):
        dtype, shape = shapes[name[len("past_"):].rsplit("_", 1)[0]]
        out.append({"name": name, "type": dtype, "shape": shape})
    return out


def declared_io(v: ValleDims, c: CodecDims, kv_cache: str = "float32") -> Dict[str, Dict[str, List[dict]]]:
    """The I/O table of docs/model-pack.md with this pack's numbers filled in; `kv_cache` 'int8' gives the int8
    packs' decoder (precision.to_int8_kv_cache)."""
    D, L, H, Dh, V, Q = v.d_model, v.ar_layers, v.heads, v.head_dim, v.audio_tokens, v.quantizers

    def t(name, dtype, shape):
        return {"name": name, "type": dtype, "shape": shape}

    f, i = "float32", "int64"
    return {
        "midiEmbed": {"inputs": [t("tokens", i, ["B", "S", len(v.midi_vocab)])],
                      "outputs": [t("xa", f, ["B", "S", D]), t("xn", f, ["B", "S", D])]},
        "arEmbed": {"inputs": [t("tokens", i, ["B", "T"]), t("start", i, [1])], "outputs": [t("y", f, ["B", "T", D])]},
        "arDecoder": {"inputs": [t("x", f, ["B", "T", D]), t("mask", f, ["B", 1, "T", "P+T"]),
                                 *_past_inputs(L, H, Dh, kv_cache)],
                      "outputs": [t("logits", f, ["B", "T", V + 1]), t("new_key", f, [L, "B", H, "T", Dh]), t("new_value", f, [L, "B", H, "T", Dh])]},
        "narStage": {"inputs": [t("xn", f, ["B", "S", D]), t("codes", i, ["B", "T", Q]), t("prompt_frames", i, [1]),
                                t("stage", i, [1]), t("mask", f, ["B", 1, 1, "S+T"])],
                     "outputs": [t("q", i, ["B", "T"])]},
        "codecEncode": {"inputs": [t("wav", f, ["B", c.channels, "N"])], "outputs": [t("codes", i, ["B", c.n_q, "F"])]},
        "codecDecode": {"inputs": [t("codes", i, ["B", c.n_q, "F"])], "outputs": [t("wav", f, ["B", c.channels, f"{c.hop_length}*F"])]},
    }


def manifest_dims(v: ValleDims, c: CodecDims) -> dict:
    """pack.json's audio, midi and model sections (also stored in graph templates for the TypeScript installer)."""
    return {
        "audio": {"sampleRate": c.sample_rate, "frameRate": c.sample_rate // c.hop_length, "hopLength": c.hop_length,
                  "quantizers": c.n_q, "codebookSize": c.bins, "eosId": v.eos_id},
        "midi": {"columns": list(MIDI_COLUMNS), "vocabSizes": list(v.midi_vocab)},
        "model": {"dModel": v.d_model, "heads": v.heads, "headDim": v.head_dim, "arLayers": v.ar_layers,
                  "narLayers": v.nar_layers},
    }


def _stamp_shapes(model: onnx.ModelProto, io: Dict[str, List[dict]]) -> None:
    """Replace the exporter's generated dim names (e.g. 'Addxa_dim_2') by the declared ones."""
    for values, declared in ((model.graph.input, io["inputs"]), (model.graph.output, io["outputs"])):
        by_name = {d["name"]: d for d in declared}
        for value in values:
            spec = by_name.get(value.name)
            if spec is None:
                raise RuntimeError(f"graph has an undeclared I/O '{value.name}'")
            dims = value.type.tensor_type.shape.dim
            if len(dims) != len(spec["shape"]):
                raise RuntimeError(f"'{value.name}' has rank {len(dims)}, declared {len(spec['shape'])}")
            for dim, want in zip(dims, spec["shape"]):
                if isinstance(want, int):
                    dim.Clear()
                    dim.dim_value = want
                else:
                    dim.Clear()
                    dim.dim_param = want


DRAFT_KEY = "arDraftDecoder"
DRAFT_FILE = "ar_draft_decoder.onnx"


def _to_int8(graph: onnx.ModelProto, key: str, log: Callable[[str], None], label: Optional[str] = None) -> None:
    """An int8 pack's form of a QUANTIZABLE graph (in place): int8 MatMuls, and for arDecoder an int8 KV cache."""
    label = label or key
    log(f"  {label}: {to_int8_matmul(graph)} MatMuls quantised to int8")
    if key == "arDecoder":
        log(f"  {label}: int8 KV cache in {to_int8_kv_cache(graph)} layers")


def _save_graph(graph: onnx.ModelProto, path: str, precision: str, io: Dict[str, List[dict]]) -> dict:
    onnx.checker.check_model(graph)
    onnx.save(graph, path)
    return {
        "file": os.path.basename(path),
        "sha256": sha256_file(path),
        "bytes": os.path.getsize(path),
        "precision": precision,
        **io,
    }


def write_pack(
    model: Valle,
    codec: PianoEncodec,
    out_dir: str,
    precision: str = "fp32",
    identity: Optional[dict] = None,
    source: Optional[dict] = None,
    log: Callable[[str], None] = print,
    draft: bool = True,
) -> dict:
    """Exports, converts to `precision`, writes pack.json last (so a half-written folder has no manifest).

    `draft` (fp32 packs only; ignored otherwise): also write arDraftDecoder, the int8 pack's arDecoder (int8
    MatMuls, int8 KV cache) made from the same weights, which the engine runs to draft frames that the fp32
    decoder verifies (speculative decoding; docs/model-pack.md)."""
    if precision not in ("fp32", "fp16", "int8"):
        raise ValueError(f"unknown precision '{precision}' (fp32, fp16 or int8)")
    os.makedirs(out_dir, exist_ok=True)
    manifest_path = os.path.join(out_dir, "pack.json")
    for stale in (manifest_path, os.path.join(out_dir, DRAFT_FILE)):
        if os.path.exists(stale):
            os.remove(stale)
    paths = export_graphs(model, codec, out_dir, log)
    io = declared_io(model.dims, codec.dims)
    int8_io = declared_io(model.dims, codec.dims, kv_cache="int8")
    graphs = {}
    drafter = None
    for key, path in paths.items():
        graph = onnx.load(path)
        _stamp_shapes(graph, io[key])
        if key == "arDecoder":  # run at every AR step: its traced shape arithmetic is worth folding
            folded, removed = fold_reshape_shapes(graph)
            log(f"  {key}: {folded} Reshape shapes folded to constants, {removed} nodes removed")
            if precision == "fp32" and draft:  # the int8 pack's decoder, from the same folded graph
                drafter = onnx.ModelProto()
                drafter.CopyFrom(graph)
                _to_int8(drafter, key, log, DRAFT_KEY)
        if key == "narStage":  # ONNX Runtime then folds the stage projections and drops their weights
            log(f"  {key}: {project_stage_table_first(graph)} stage projections moved before the row pick")
        graph_precision = "fp32"
        graph_io = io[key]
        if precision == "fp16":
            to_fp16_storage(graph)
            graph_precision = "fp16"
        elif precision == "int8" and key in QUANTIZABLE:
            _to_int8(graph, key, log)
            graph_io = int8_io[key]
            graph_precision = "int8"
        graphs[key] = _save_graph(graph, path, graph_precision, graph_io)
        if key == "arDecoder" and drafter is not None:  # listed right after arDecoder
            graphs[DRAFT_KEY] = _save_graph(drafter, os.path.join(out_dir, DRAFT_FILE), "int8", int8_io[key])
    manifest = {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        **(identity or {}),
        "source": source or {},
        **manifest_dims(model.dims, codec.dims),
        "graphs": graphs,
    }
    tmp = manifest_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(tmp, manifest_path)
    return manifest
