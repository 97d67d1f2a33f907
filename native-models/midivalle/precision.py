"""Post-export precision variants, done on the ONNX graph with the onnx package only (no onnxruntime-python):

* fp16: weights stored as float16 initializers, each followed by a Cast to float32 (compute stays fp32, which
  is what onnxruntime's CPU EP runs fastest; halves the files).
* int8: every MatMul against a constant 2-D weight becomes DynamicQuantizeLinear(x) -> MatMulInteger with a
  per-output-column symmetric 7-bit weight (int8 storage) -> Cast -> Mul(x_scale * w_scale). onnxruntime fuses this pattern
  into DynamicQuantizeMatMul (../shared/reference/ort-cpu-anchors.md). Gathers (embeddings) stay fp32.
* int8 KV cache (int8 packs' AR decoder): the two MatMuls per layer that read the cache take int8 keys and values
  with one scale per (row, head, slot); see to_int8_kv_cache and docs/model-pack.md "KV cache layout".
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MIN_WEIGHT_ELEMENTS = 1024  # smaller initializers (biases, norms, constants) are left alone
# 7-bit weights ("reduce_range"): x86 u8s8 kernels add pairs of u8*s8 products in int16, which saturates with
# full-range int8 weights (255*127*2 > 32767); with |w| <= 63 the pair sum stays in range.
WEIGHT_LEVELS = 63
# int8 KV cache (to_int8_kv_cache): keys u8 with zero point 128 (±127 levels) against 7-bit queries, values
# 7-bit s8 against u8 probabilities: one side of each u8·s8 product 7-bit, for the same int16 pair sums.
KV_KEY_LEVELS = 127
KV_VALUE_LEVELS = 63
KV_QUERY_LEVELS = 63
KV_PROB_LEVELS = 255


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


def kv_cache_input_names(layers: int) -> List[str]:
    """The int8-cache decoder's per-layer inputs, in graph order."""
    return [f"past_{kind}_{i}" for i in range(layers) for kind in ("key", "key_scale", "value", "value_scale")]


def to_int8_kv_cache(model: onnx.ModelProto) -> int:
    """Rewrites an exported ar_decoder to read an int8 KV cache; returns the number of layers rewritten.

    Per layer l the inputs past_key_l / past_value_l become
      past_key_l          uint8 [B,H,P,Dh]   k ~ (past_key_l - 128) * past_key_scale_l
      past_key_scale_l    float [B,H,P,1]
      past_value_l        int8  [B,H,P,Dh]   v ~ past_value_l * past_value_scale_l   (|past_value_l| <= 63)
      past_value_scale_l  float [B,H,1,P]
    (one scale per row, head and slot, the same [B,H,P] numbers in both shapes; the engine quantises each new
    row when it writes it). The two MatMuls that read the cache (layers.py attend_after: K·qᵀ and p·V) become
      K·qᵀ -> MatMulInteger(past_key_l, q_s8, 128) * (s_q * past_key_scale_l),
              q_s8 = round(qᵀ / s_q), s_q = max|q| / 63 per (row, head)
      p·V  -> MatMulInteger(p_u8, past_value_l) * s_p,
              p_u8 = round(p * past_value_scale_l / s_p), s_p = max(p * past_value_scale_l) / 255 per (row, head)
    onnxruntime fuses MatMulInteger -> Cast -> Mul into MatMulIntegerToFloat. Everything else (the new rows'
    scores, the softmax over [past | new], new_key / new_value) stays fp32.
    """
    g = model.graph
    past = {vi.name: vi for vi in g.input if vi.name.startswith(("past_key_", "past_value_"))}
    g.initializer.extend([
        numpy_helper.from_array(np.array(128, np.uint8), "kv8_key_zero_point"),
        numpy_helper.from_array(np.array(1.0 / KV_QUERY_LEVELS, np.float32), "kv8_query_step"),
        numpy_helper.from_array(np.array(1.0 / KV_PROB_LEVELS, np.float32), "kv8_prob_step"),
        numpy_helper.from_array(np.array(float(KV_PROB_LEVELS), np.float32), "kv8_prob_top"),
        numpy_helper.from_array(np.array(1e-30, np.float32), "kv8_floor"),
    ])
    inputs = []
    for vi in g.input:
        inputs.append(vi)
        if vi.name not in past:
            continue
        kind, layer = vi.name[len("past_"):].rsplit("_", 1)
        b, h, p, _ = (d.dim_param or d.dim_value for d in vi.type.tensor_type.shape.dim)
        vi.type.tensor_type.elem_type = TensorProto.UINT8 if kind == "key" else TensorProto.INT8
        scale_shape = [b, h, p, 1] if kind == "key" else [b, h, 1, p]
        inputs.append(helper.make_tensor_value_info(f"past_{kind}_scale_{layer}", TensorProto.FLOAT, scale_shape))
    del g.input[:]
    g.input.extend(inputs)

    def op(kind, inputs, output, **attrs):
        return helper.make_node(kind, inputs, [output], name=output, **attrs)

    nodes = []
    rewritten = {"key": 0, "value": 0}
    for node in g.node:
        if node.op_type == "MatMul" and node.input[0].startswith("past_key_"):
            layer = node.input[0].rsplit("_", 1)[1]
            q_t, out, p = node.input[1], node.output[0], f"kv8_key_{layer}_"
            nodes += [
                op("Abs", [q_t], p + "abs"),
                op("ReduceMax", [p + "abs"], p + "peak", axes=[2, 3], keepdims=1),
                op("Max", [p + "peak", "kv8_floor"], p + "peak_pos"),
                op("Mul", [p + "peak_pos", "kv8_query_step"], p + "q_scale"),
                op("Div", [q_t, p + "q_scale"], p + "q_div"),
                op("Round", [p + "q_div"], p + "q_round"),
                op("Cast", [p + "q_round"], p + "q_s8", to=TensorProto.INT8),
                op("MatMulInteger", [node.input[0], p + "q_s8", "kv8_key_zero_point"], p + "i32"),
                op("Cast", [p + "i32"], p + "f32", to=TensorProto.FLOAT),
                op("Mul", [f"past_key_scale_{layer}", p + "q_scale"], p + "scale"),
                op("Mul", [p + "f32", p + "scale"], out),
            ]
            rewritten["key"] += 1
        elif node.op_type == "MatMul" and node.input[1].startswith("past_value_"):
            layer = node.input[1].rsplit("_", 1)[1]
            probs, out, p = node.input[0], node.output[0], f"kv8_value_{layer}_"
            nodes += [
                op("Mul", [probs, f"past_value_scale_{layer}"], p + "weights"),
                op("ReduceMax", [p + "weights"], p + "peak", axes=[3], keepdims=1),
                op("Max", [p + "peak", "kv8_floor"], p + "peak_pos"),
                op("Mul", [p + "peak_pos", "kv8_prob_step"], p + "p_scale"),
                op("Div", [p + "weights", p + "p_scale"], p + "p_div"),
                op("Round", [p + "p_div"], p + "p_round"),
                op("Min", [p + "p_round", "kv8_prob_top"], p + "p_top"),
                op("Cast", [p + "p_top"], p + "p_u8", to=TensorProto.UINT8),
                op("MatMulInteger", [p + "p_u8", node.input[1]], p + "i32"),
                op("Cast", [p + "i32"], p + "f32", to=TensorProto.FLOAT),
                op("Mul", [p + "f32", p + "p_scale"], out),
            ]
            rewritten["value"] += 1
        else:
            nodes.append(node)
    layers = len(past) // 2
    if rewritten != {"key": layers, "value": layers}:
        raise RuntimeError(f"int8 KV cache: expected {layers} key and value MatMuls, found {rewritten}")
    del g.node[:]
    g.node.extend(nodes)
    return layers
