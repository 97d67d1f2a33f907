"""Graph clean-ups applied to exported graphs before they go into a pack (values unchanged, bit for bit).

fold_reshape_shapes: torch.onnx traces `x.reshape(b, t, heads, head_dim)` (layers._heads_first / _heads_last)
as Shape → Gather → Unsqueeze → Concat chains that ONNX Runtime evaluates at every run. Reshape already copies a
dimension given as 0, so each such shape is a constant ([0, 0, 16, 64], [0, 0, -1]). In the AR decoder this
removes 708 of 1,930 nodes and 2.5–4 % of a step's time (docs/benchmarks.md, issue 17).
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
