"""Graph rewrites applied to exported graphs before they go into a pack. The weights are never touched: a pack's
initializers stay exactly what the exporter (and the TypeScript installer's templates) give them.

fold_reshape_shapes: torch.onnx traces `x.reshape(b, t, heads, head_dim)` (layers._heads_first / _heads_last)
as Shape → Gather → Unsqueeze → Concat chains that ONNX Runtime evaluates at every run. Reshape already copies a
dimension given as 0, so each such shape is a constant ([0, 0, 16, 64], [0, 0, -1]). In the AR decoder this
removes 708 of 1,930 nodes and 2.5–4 % of a step's time (docs/benchmarks.md, issue 17). Values unchanged, bit
for bit.

project_stage_table_first: the NAR's 25 AdaptiveLayerNorms each project the stage embedding, picked from a
constant [3, d] table by the `stage` input, through a [2d, d] Linear: 25 × 8.4 MB of fp32 weights at real dims
(210 MB, never quantised) for three possible [2d] results. Projecting the whole table first and picking the row
after makes the projection constant, so ONNX Runtime folds it at session creation and drops the weights: the int8
NAR session holds 216 MB less. The folded product is computed for three rows at once, which may round the last bit
differently from the one-row product (real-dim random packs: fp32 NAR tokens identical, int8 3–9 of 875 frames a
stage differ, as any float change does under dynamic quantisation).
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import numpy as np
import onnx
from onnx import numpy_helper


def _constants(graph: onnx.GraphProto) -> Dict[str, np.ndarray]:
    out = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            out[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    return out


def _shape_dim(name: str, producer: Dict[str, onnx.NodeProto], consts: Dict[str, np.ndarray]) -> Optional[Tuple[str, int]]:
    """`name` = Gather(Shape(X), k) (scalar k) → (X, k)."""
    gather = producer.get(name)
    if gather is None or gather.op_type != "Gather" or gather.input[1] not in consts:
        return None
    shape = producer.get(gather.input[0])
    index = consts[gather.input[1]]
    if shape is None or shape.op_type != "Shape" or shape.attribute or index.ndim != 0:
        return None
    return shape.input[0], int(index)


def _reshape_constant(node: onnx.NodeProto, producer: Dict[str, onnx.NodeProto],
                      consts: Dict[str, np.ndarray]) -> Optional[List[int]]:
    """The constant shape equal to this Reshape's traced one, or None when it cannot be proven equal."""
    if any(a.name == "allowzero" and a.i for a in node.attribute):
        return None
    concat = producer.get(node.input[1])
    if concat is None or concat.op_type != "Concat":
        return None
    data = node.input[0]
    # dim j of the data is dim source[j] of `origin` (a Transpose in between permutes them)
    origin, source = data, None
    transpose = producer.get(data)
    if transpose is not None and transpose.op_type == "Transpose":
        perm = [list(a.ints) for a in transpose.attribute if a.name == "perm"]
        if perm:
            origin, source = transpose.input[0], perm[0]
    dim_of = (lambda j: source[j] if source is not None and j < len(source) else j)
    shape: List[int] = []
    copied: List[int] = []
    for j, part in enumerate(concat.input):
        if part in consts:
            shape.extend(int(v) for v in np.atleast_1d(consts[part]))
            continue
        unsqueeze = producer.get(part)
        if unsqueeze is None or unsqueeze.op_type != "Unsqueeze":
            return None
        dim = _shape_dim(unsqueeze.input[0], producer, consts)
        if dim is not None and dim[0] == origin and dim[1] == dim_of(j):
            shape.append(0)
            copied.append(j)
            continue
        # The last part may be the product of the data's remaining dims (heads · head_dim): -1.
        mul = producer.get(unsqueeze.input[0])
        if j != len(concat.input) - 1 or mul is None or mul.op_type != "Mul" or source is None:
            return None
        factors = [_shape_dim(x, producer, consts) for x in mul.input]
        remaining = sorted(dim_of(k) for k in range(len(source)) if k not in copied)
        if any(f is None or f[0] != origin for f in factors) or sorted(f[1] for f in factors) != remaining:
            return None
        shape.append(-1)
    return shape


def _prune(graph: onnx.GraphProto) -> int:
    """Drops nodes (and initializers) nothing reads any more; returns how many nodes went."""
    needed = {o.name for o in graph.output}
    kept = []
    for node in reversed(graph.node):  # exported graphs are topologically sorted
        if any(o in needed for o in node.output):
            kept.append(node)
            needed.update(node.input)
    removed = len(graph.node) - len(kept)
    del graph.node[:]
    graph.node.extend(reversed(kept))
    inits = [i for i in graph.initializer if i.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(inits)
    return removed


def fold_reshape_shapes(model: onnx.ModelProto) -> Tuple[int, int]:
    """Gives each provably constant Reshape shape as an initializer; returns (reshapes folded, nodes removed)."""
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consts = _constants(graph)
    folded = 0
    for node in graph.node:
        if node.op_type != "Reshape":
            continue
        shape = _reshape_constant(node, producer, consts)
        if shape is None:
            continue
        name = f"{node.name or node.output[0]}/constant_shape"
        graph.initializer.append(numpy_helper.from_array(np.array(shape, np.int64), name))
        node.input[1] = name
        folded += 1
    return folded, _prune(graph)


def _names_read(nodes) -> set:
    """Every value name read by these nodes or by the nodes of their subgraphs (If/Loop branches)."""
    read = set()
    for node in nodes:
        read.update(node.input)
        for attr in node.attribute:
            for sub in ([attr.g] if attr.HasField("g") else []) + list(attr.graphs):
                read |= _names_read(sub.node)
    return read


def project_stage_table_first(model: onnx.ModelProto) -> int:
    """Gemm(Gather(T, i), W, b) with T, W, b constant becomes Gather(Gemm(T, W, b), i); returns how many."""
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    constant = {init.name for init in graph.initializer}
    nodes: List[onnx.NodeProto] = []
    old_picks = []
    for node in graph.node:
        nodes.append(node)
        if node.op_type != "Gemm" or any(a.name == "transA" and a.i for a in node.attribute):
            continue
        pick = producer.get(node.input[0])
        if (pick is None or pick.op_type != "Gather" or pick.input[0] not in constant
                or any(a.name == "axis" and a.i != 0 for a in pick.attribute)
                or not all(name in constant for name in node.input[1:])):
            continue
        picked = node.output[0]
        node.input[0] = pick.input[0]
        node.output[0] = f"{picked}/all_rows"
        nodes.append(onnx.helper.make_node("Gather", [node.output[0], pick.input[1]], [picked],
                                           name=f"{node.name}/pick_row", axis=0))
        old_picks.append(pick)
    read = _names_read(nodes) | {o.name for o in graph.output}
    unused = [p for p in old_picks if p.output[0] not in read]
    del graph.node[:]
    graph.node.extend(n for n in nodes if not any(n is p for p in unused))
    return len(old_picks)
