"""ONNX export of the six pack graphs (names and I/O exactly as docs/model-pack.md)."""
from __future__ import annotations

import contextlib
import os
import warnings
from typing import Callable, Dict, List, Optional, Tuple

import torch
from torch import Tensor, nn

from .codec import PianoEncodec
from .codec_export import export_decoder
from .valle import Valle, padding_mask

OPSET = 17
CONTRIB_OPSETS = {"com.microsoft": 1}  # ONNX Runtime's contrib ops (the NAR's MultiHeadAttention)


class MidiEmbedGraph(nn.Module):
    def __init__(self, model: Valle):
        super().__init__()
        self.model = model

    def forward(self, tokens):
        return self.model.embed_midi(tokens)


class ArEmbedGraph(nn.Module):
    def __init__(self, model: Valle):
        super().__init__()
        self.model = model

    def forward(self, tokens, start):
        return self.model.ar_embed_audio(tokens, start)


class ArDecoderGraph(nn.Module):
    """Past K/V arrive one input per layer (past_key_0, past_value_0, ...): with a single stacked input ONNX
    Runtime slices the whole cache for every layer at every step (measured ~25 % slower per step)."""

    def __init__(self, model: Valle):
        super().__init__()
        self.model = model

    def forward(self, x, mask, *past):
        return self.model.ar_decode(x, mask, list(past[0::2]), list(past[1::2]))


class NarStageGraph(nn.Module):
    """Attention as com.microsoft MultiHeadAttention (layers.FusedAttention): ONNX Runtime's fused CPU kernel
    keeps the [H,T,T] score tensors out of memory (docs/benchmarks.md, issue 17)."""

    def __init__(self, model: Valle):
        super().__init__()
        self.model = model

    @contextlib.contextmanager
    def fused_attention(self):
        layers = [layer.self_attn for layer in self.model.nar_decoder.layers]
        for attn in layers:
            attn.fused_export = True
        try:
            yield
        finally:
            for attn in layers:
                attn.fused_export = False

    def forward(self, xn, codes, prompt_frames, stage, mask):
        return self.model.nar_stage(xn, codes, prompt_frames, stage, mask)


class CodecEncodeGraph(nn.Module):
    def __init__(self, codec: PianoEncodec):
        super().__init__()
        self.codec = codec

    def forward(self, wav):
        return self.codec.encode(wav)


class CodecDecodeGraph(nn.Module):
    """The decoder in its export form (codec_export.export_decoder: polyphase ConvTranspose, Pad folded into Conv);
    `codec` must have its weight_norm folded, so every weight is a constant of the graph."""

    def __init__(self, codec: PianoEncodec):
        super().__init__()
        self.codec = codec
        self.decoder = export_decoder(codec.decoder)

    def forward(self, codes):
        return self.decoder(self.codec.quantizer.decode(codes))


# graph key -> (file, input names, output names, dynamic axes)
GraphSpec = Tuple[str, List[str], List[str], Dict[str, Dict[int, str]]]
GRAPHS: Dict[str, Optional[GraphSpec]] = {
    "midiEmbed": ("midi_embed.onnx", ["tokens"], ["xa", "xn"],
                  {"tokens": {0: "B", 1: "S"}, "xa": {0: "B", 1: "S"}, "xn": {0: "B", 1: "S"}}),
    "arEmbed": ("ar_embed.onnx", ["tokens", "start"], ["y"], {"tokens": {0: "B", 1: "T"}, "y": {0: "B", 1: "T"}}),
    "arDecoder": None,  # per-layer inputs: filled in by ar_decoder_spec() for the model's layer count
    "narStage": ("nar_stage.onnx", ["xn", "codes", "prompt_frames", "stage", "mask"], ["q"],
                 {"xn": {0: "B", 1: "S"}, "codes": {0: "B", 1: "T"}, "mask": {0: "B", 3: "S+T"}, "q": {0: "B", 1: "T"}}),
    "codecEncode": ("codec_encoder.onnx", ["wav"], ["codes"], {"wav": {0: "B", 2: "N"}, "codes": {0: "B", 2: "F"}}),
    "codecDecode": ("codec_decoder.onnx", ["codes"], ["wav"], {"codes": {0: "B", 2: "F"}, "wav": {0: "B", 2: "640*F"}}),
}


def past_names(layers: int) -> List[str]:
    return [f"past_{kind}_{i}" for i in range(layers) for kind in ("key", "value")]


def ar_decoder_spec(layers: int) -> GraphSpec:
    names = past_names(layers)
    axes = {"x": {0: "B", 1: "T"}, "mask": {0: "B", 2: "T", 3: "P+T"}, "logits": {0: "B", 1: "T"},
            "new_key": {1: "B", 3: "T"}, "new_value": {1: "B", 3: "T"}}
    axes.update({name: {0: "B", 2: "P"} for name in names})
    return ("ar_decoder.onnx", ["x", "mask", *names], ["logits", "new_key", "new_value"], axes)


def graph_specs(model: Valle) -> Dict[str, GraphSpec]:
    return {key: (ar_decoder_spec(model.dims.ar_layers) if spec is None else spec) for key, spec in GRAPHS.items()}


def example_inputs(model: Valle, codec: PianoEncodec) -> Dict[str, Tuple]:
    """Shapes chosen so no dynamic axis has the same size as another (keeps the tracer honest)."""
    d = model.dims
    b, s, tp, cap = 2, 5, 3, 11
    tokens = torch.ones(b, s, 6, dtype=torch.int64)
    xa = torch.randn(b, s, d.d_model)
    t = 4  # new rows: distinct from s, tp and cap
    past = [torch.randn(b, d.heads, cap, d.head_dim) for _ in range(2 * d.ar_layers)]
    decoder_mask = torch.zeros(b, 1, t, cap + t)
    hop = codec.dims.hop_length
    return {
        "midiEmbed": (tokens,),
        "arEmbed": (torch.ones(b, tp, dtype=torch.int64), torch.tensor([4])),
        "arDecoder": (torch.randn(b, t, d.d_model), decoder_mask, *past),
        "narStage": (xa, torch.ones(b, 7, d.quantizers, dtype=torch.int64), torch.tensor([tp]), torch.tensor([1]),
                     padding_mask([s, s - 1], s, [7, 6])),
        "codecEncode": (torch.randn(b, 1, hop * 3 + 17),),
        "codecDecode": (torch.ones(b, codec.dims.n_q, 4, dtype=torch.int64),),
    }


def graph_modules(model: Valle, codec: PianoEncodec) -> Dict[str, nn.Module]:
    folded = PianoEncodec(codec.dims)
    folded.load_state_dict(codec.state_dict())
    folded.fold_weight_norm().eval()
    return {
        "midiEmbed": MidiEmbedGraph(model),
        "arEmbed": ArEmbedGraph(model),
        "arDecoder": ArDecoderGraph(model),
        "narStage": NarStageGraph(model),
        "codecEncode": CodecEncodeGraph(folded),
        "codecDecode": CodecDecodeGraph(folded),
    }


@contextlib.contextmanager
def structure_independent_of_values():
    """torch.onnx merges initializers that are *equal in value* (adding Identity nodes), so the graph's structure
    would depend on the weights (e.g. LayerNorms still at their init). Only tensors that are the same object
    (tied weights) are merged here, so every checkpoint of given dims exports the same graph: that is what lets
    the TypeScript installer fill graph templates (midivalle/template.py) instead of re-exporting."""
    dedup = torch._C._jit_pass_onnx_deduplicate_initializers
    # is_train=True limits torch's pass to its by-data-pointer merge (the by-value one runs only in eval).
    torch._C._jit_pass_onnx_deduplicate_initializers = lambda graph, params, _training: dedup(graph, params, True)
    try:
        yield
    finally:
        torch._C._jit_pass_onnx_deduplicate_initializers = dedup


def export_graphs(model: Valle, codec: PianoEncodec, out_dir: str, log: Callable[[str], None] = print) -> Dict[str, str]:
    """Writes the six fp32 graphs; returns graph key -> path."""
    os.makedirs(out_dir, exist_ok=True)
    modules = graph_modules(model.eval(), codec.eval())
    inputs = example_inputs(model, codec)
    paths = {}
    for key, (file, in_names, out_names, axes) in graph_specs(model).items():
        path = os.path.join(out_dir, file)
        log(f"exporting {key} -> {file}")
        module = modules[key].eval()
        nar = isinstance(module, NarStageGraph)
        fused = module.fused_attention() if nar else contextlib.nullcontext()
        with torch.no_grad(), warnings.catch_warnings(), structure_independent_of_values(), fused:
            warnings.simplefilter("ignore")  # tracer chatter about shape inference and int conversions
            torch.onnx.export(
                module, inputs[key], path, input_names=in_names, output_names=out_names, dynamic_axes=axes,
                opset_version=OPSET, do_constant_folding=True, custom_opsets=CONTRIB_OPSETS if nar else None,
            )
        paths[key] = path
    return paths
