"""ONNX export of the six pack graphs (names and I/O exactly as docs/model-pack.md)."""
from __future__ import annotations

import os
import warnings
from typing import Callable, Dict, List, Tuple

import torch
from torch import Tensor, nn

from .codec import PianoEncodec
from .valle import Valle, padding_mask, prefill_mask, step_mask

OPSET = 17


class MidiEmbedGraph(nn.Module):
    def __init__(self, model: Valle):
        super().__init__()
        self.model = model

    def forward(self, tokens):
        return self.model.embed_midi(tokens)


class ArPrefillGraph(nn.Module):
    def __init__(self, model: Valle):
        super().__init__()
        self.model = model

    def forward(self, xa, prompt_q0, mask):
        return self.model.ar_forward(xa, prompt_q0, mask)


class ArStepGraph(nn.Module):
    def __init__(self, model: Valle):
        super().__init__()
        self.model = model

    def forward(self, token, audio_pos, past_key, past_value, mask):
        return self.model.ar_step(token, audio_pos, past_key, past_value, mask)


class NarStageGraph(nn.Module):
    def __init__(self, model: Valle):
        super().__init__()
        self.model = model

    def forward(self, xn, codes, prompt_frames, stage, mask):
        return self.model.nar_stage(xn, codes, prompt_frames, stage, mask)


class CodecEncodeGraph(nn.Module):
    def __init__(self, codec: PianoEncodec):
        super().__init__()
        self.codec = codec

    def forward(self, wav):
        return self.codec.encode(wav)


class CodecDecodeGraph(nn.Module):
    def __init__(self, codec: PianoEncodec):
        super().__init__()
        self.codec = codec

    def forward(self, codes):
        return self.codec.decode(codes)


# graph key -> (file, input names, output names, dynamic axes)
GRAPHS: Dict[str, Tuple[str, List[str], List[str], Dict[str, Dict[int, str]]]] = {
    "midiEmbed": ("midi_embed.onnx", ["tokens"], ["xa", "xn"],
                  {"tokens": {0: "B", 1: "S"}, "xa": {0: "B", 1: "S"}, "xn": {0: "B", 1: "S"}}),
    "arPrefill": ("ar_prefill.onnx", ["xa", "prompt_q0", "mask"], ["logits", "key", "value"],
                  {"xa": {0: "B", 1: "S"}, "prompt_q0": {0: "B", 1: "Tp"}, "mask": {0: "B", 2: "S+Tp", 3: "S+Tp"},
                   "logits": {0: "B"}, "key": {1: "B", 3: "S+Tp"}, "value": {1: "B", 3: "S+Tp"}}),
    "arStep": ("ar_step.onnx", ["token", "audio_pos", "past_key", "past_value", "mask"], ["logits", "new_key", "new_value"],
               {"token": {0: "B"}, "past_key": {1: "B", 3: "C"}, "past_value": {1: "B", 3: "C"},
                "mask": {0: "B", 3: "C+1"}, "logits": {0: "B"}, "new_key": {1: "B"}, "new_value": {1: "B"}}),
    "narStage": ("nar_stage.onnx", ["xn", "codes", "prompt_frames", "stage", "mask"], ["q"],
                 {"xn": {0: "B", 1: "S"}, "codes": {0: "B", 1: "T"}, "mask": {0: "B", 3: "S+T"}, "q": {0: "B", 1: "T"}}),
    "codecEncode": ("codec_encoder.onnx", ["wav"], ["codes"], {"wav": {0: "B", 2: "N"}, "codes": {0: "B", 2: "F"}}),
    "codecDecode": ("codec_decoder.onnx", ["codes"], ["wav"], {"codes": {0: "B", 2: "F"}, "wav": {0: "B", 2: "640*F"}}),
}


def example_inputs(model: Valle, codec: PianoEncodec) -> Dict[str, Tuple]:
    """Shapes chosen so no dynamic axis has the same size as another (keeps the tracer honest)."""
    d = model.dims
    b, s, tp, cap = 2, 5, 3, 11
    tokens = torch.ones(b, s, 6, dtype=torch.int64)
    xa = torch.randn(b, s, d.d_model)
    kv = torch.randn(d.ar_layers, b, d.heads, cap, d.head_dim)
    hop = codec.dims.hop_length
    return {
        "midiEmbed": (tokens,),
        "arPrefill": (xa, torch.ones(b, tp, dtype=torch.int64), prefill_mask([s, s - 1], s, tp)),
        "arStep": (torch.ones(b, 1, dtype=torch.int64), torch.tensor([4]), kv, kv.clone(), step_mask([s, s - 1], s, s + tp, cap)),
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
        "arPrefill": ArPrefillGraph(model),
        "arStep": ArStepGraph(model),
        "narStage": NarStageGraph(model),
        "codecEncode": CodecEncodeGraph(folded),
        "codecDecode": CodecDecodeGraph(folded),
    }


def export_graphs(model: Valle, codec: PianoEncodec, out_dir: str, log: Callable[[str], None] = print) -> Dict[str, str]:
    """Writes the six fp32 graphs; returns graph key -> path."""
    os.makedirs(out_dir, exist_ok=True)
    modules = graph_modules(model.eval(), codec.eval())
    inputs = example_inputs(model, codec)
    paths = {}
    for key, (file, in_names, out_names, axes) in GRAPHS.items():
        path = os.path.join(out_dir, file)
        log(f"exporting {key} -> {file}")
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about shape inference and int conversions
            torch.onnx.export(
                modules[key].eval(), inputs[key], path, input_names=in_names, output_names=out_names,
                dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True,
            )
        paths[key] = path
    return paths
