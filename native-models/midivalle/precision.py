"""Post-export precision variants, done on the ONNX graph with the onnx package only (no onnxruntime-python):

* fp16: weights stored as float16 initializers, each followed by a Cast to float32 (compute stays fp32, which
  is what onnxruntime's CPU EP runs fastest; halves the files).
* int8: every MatMul against a constant 2-D weight becomes DynamicQuantizeLinear(x) -> MatMulInteger with a
  per-output-column symmetric 7-bit weight (int8 storage) -> Cast -> Mul(x_scale * w_scale). onnxruntime fuses this pattern
  into DynamicQuantizeMatMul (../shared/reference/ort-cpu-anchors.md). Gathers (embeddings) stay fp32.
"""
from __future__ import annotations

from typing import Dict, Optional, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MIN_WEIGHT_ELEMENTS = 1024  # smaller initializers (biases, norms, constants) are left alone
# 7-bit weights ("reduce_range"): x86 u8s8 kernels add pairs of u8*s8 products in int16, which saturates with
# full-range int8 weights (255*127*2 > 32767); with |w| <= 63 the pair sum stays in range.
WEIGHT_LEVELS = 63


def _initializers(model: onnx.ModelProto) -> Dict[str, onnx.TensorProto]:
    return {t.name: t for t in model.graph.initializer}


def to_fp16_storage(model: onnx.ModelProto) -> int:
    """Returns the number of initializers converted."""
    converted = 0
    casts = []
    kept = []
    for tensor in model.graph.initializer:
        if tensor.data_type == TensorProto.FLOAT and int(np.prod(tensor.dims)) >= MIN_WEIGHT_ELEMENTS:
            array = numpy_helper.to_array(tensor).astype(np.float16)
            half = numpy_helper.from_array(array, tensor.name + "__fp16")
            kept.append(half)
            casts.append(helper.make_node("Cast", [half.name], [tensor.name], to=TensorProto.FLOAT,
                                          name=tensor.name + "__cast"))
            converted += 1
        else:
            kept.append(tensor)
    del model.graph.initializer[:]
    model.graph.initializer.extend(kept)
    nodes = list(model.graph.node)
    del model.graph.node[:]
    model.graph.node.extend(casts + nodes)
    return converted


def _quantize_columns(weight: np.ndarray):
    """Symmetric per-column int8: W[k,n] ~ q[k,n] * scale[n]."""
    peak = np.abs(weight).max(axis=0)
    scale = np.where(peak > 0, peak / WEIGHT_LEVELS, 1.0).astype(np.float32)
    q = np.clip(np.rint(weight / scale), -WEIGHT_LEVELS, WEIGHT_LEVELS).astype(np.int8)
    return q, scale


def to_int8_matmul(model: onnx.ModelProto, sources: Optional[Dict[str, Tuple[str, str]]] = None) -> int:
    """Returns the number of MatMuls rewritten. `sources`, when given, receives new initializer name ->
    (fp32 weight name, 'q' or 'scale') so graph templates can record where each int8 tensor comes from."""
    inits = _initializers(model)
    consumers: Dict[str, int] = {}
    for node in model.graph.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1
    new_nodes = []
    rewritten = 0
    dropped = set()
    for node in model.graph.node:
        w = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w is None or len(w.dims) != 2 or w.data_type != TensorProto.FLOAT or int(np.prod(w.dims)) < MIN_WEIGHT_ELEMENTS:
            new_nodes.append(node)
            continue
        q, scale = _quantize_columns(numpy_helper.to_array(w))
        base = f"{node.name or node.output[0]}__q"
        model.graph.initializer.extend([numpy_helper.from_array(q, base + "_w"), numpy_helper.from_array(scale, base + "_ws")])
        if sources is not None:
            sources[base + "_w"] = (w.name, "q")
            sources[base + "_ws"] = (w.name, "scale")
        if consumers.get(w.name, 0) <= 1:
            dropped.add(w.name)
        x = node.input[0]
        new_nodes += [
            helper.make_node("DynamicQuantizeLinear", [x], [base + "_x", base + "_xs", base + "_xz"], name=base + "_dql"),
            helper.make_node("MatMulInteger", [base + "_x", base + "_w", base + "_xz"], [base + "_i32"], name=base + "_mmi"),
            helper.make_node("Cast", [base + "_i32"], [base + "_f"], to=TensorProto.FLOAT, name=base + "_cast"),
            helper.make_node("Mul", [base + "_xs", base + "_ws"], [base + "_s"], name=base + "_scale"),
            helper.make_node("Mul", [base + "_f", base + "_s"], [node.output[0]], name=base + "_out"),
        ]
        rewritten += 1
    del model.graph.node[:]
    model.graph.node.extend(new_nodes)
    kept = [t for t in model.graph.initializer if t.name not in dropped]
    del model.graph.initializer[:]
    model.graph.initializer.extend(kept)
    return rewritten
