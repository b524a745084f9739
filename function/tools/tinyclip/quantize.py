"""Dynamic int8 quantization of an ONNX model's weight MatMuls, made the way ONNX Runtime's
quantize_dynamic makes it (QOperator format, MatMulInteger), with only onnx + numpy, because
onnxruntime's Python tools are not installable here.

For every MatMul whose second input is a float initializer W [K, N]:
    W -> W_quantized int8 (symmetric, per tensor: scale = max|W| / 127, zero point 0),
         W_scale float, W_zero_point int8
    A -> DynamicQuantizeLinear -> A_quantized uint8, A_scale, A_zero_point   (computed at run time)
    MatMulInteger(A_quantized, W_quantized, A_zero_point, W_zero_point) -> int32
    Cast(float) * (A_scale * W_scale) -> the MatMul's original output (a following bias Add stays)
Embedding tables (Gather from a float initializer with 2 dims) are stored the same way and read back
through DequantizeLinear, as ONNX Runtime does for Gather. Activation x activation MatMuls (attention
scores) and Conv stay float.

usage: quantize.py IN.onnx OUT.onnx"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def symmetric_int8(w):
    """Per-tensor symmetric int8: scale = max|w| / 127, zero point 0."""
    max_abs = float(np.max(np.abs(w)))
    scale = np.float32(max_abs / 127.0 if max_abs > 0 else 1.0)
    return np.clip(np.rint(w / scale), -127, 127).astype(np.int8), scale


def attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def quantize(model: onnx.ModelProto) -> onnx.ModelProto:
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    new_nodes = []
    new_inits = []
    quantized_activations = {}  # activation name -> (quantized, scale, zero point) for reuse
    for node in graph.node:
        table = inits.get(node.input[0]) if node.op_type == "Gather" else None
        if table is not None and table.data_type == TensorProto.FLOAT and len(table.dims) == 2:
            t_name, out = node.input[0], node.output[0]
            tq, scale = symmetric_int8(numpy_helper.to_array(table).astype(np.float32))
            new_inits += [numpy_helper.from_array(tq, t_name + "_quantized"),
                          numpy_helper.from_array(np.array(scale, dtype=np.float32), t_name + "_scale"),
                          numpy_helper.from_array(np.array(0, dtype=np.int8), t_name + "_zero_point")]
            gathered = out + "_quantized"
            new_nodes.append(helper.make_node("Gather", [t_name + "_quantized", node.input[1]], [gathered],
                                              name=(node.name or out) + "_quant", **attrs(node)))
            new_nodes.append(helper.make_node("DequantizeLinear", [gathered, t_name + "_scale", t_name + "_zero_point"],
                                              [out], name=(node.name or out) + "_dequant"))
            continue
        weight = inits.get(node.input[1]) if node.op_type == "MatMul" else None
        if weight is None or weight.data_type != TensorProto.FLOAT or len(weight.dims) != 2:
            new_nodes.append(node)
            continue
        a, w_name, out = node.input[0], node.input[1], node.output[0]
        wq, scale = symmetric_int8(numpy_helper.to_array(weight).astype(np.float32))
        new_inits += [numpy_helper.from_array(wq, w_name + "_quantized"),
                      numpy_helper.from_array(np.array(scale, dtype=np.float32), w_name + "_scale"),
                      numpy_helper.from_array(np.array(0, dtype=np.int8), w_name + "_zero_point")]
        if a not in quantized_activations:
            q = (a + "_quantized", a + "_scale", a + "_zero_point")
            new_nodes.append(helper.make_node("DynamicQuantizeLinear", [a], list(q), name=a + "_QuantizeLinear"))
            quantized_activations[a] = q
        aq, a_scale, a_zp = quantized_activations[a]
        base = node.name or out
        int_out = out + "_output_quantized"
        new_nodes.append(helper.make_node("MatMulInteger", [aq, w_name + "_quantized", a_zp, w_name + "_zero_point"],
                                          [int_out], name=base + "_quant"))
        cast_out = int_out + "_cast_output"
        new_nodes.append(helper.make_node("Cast", [int_out], [cast_out], to=TensorProto.FLOAT,
                                          name=base + "_quant_output_cast"))
        scales = base + "_quant_scales_mul:0"
        new_nodes.append(helper.make_node("Mul", [a_scale, w_name + "_scale"], [scales], name=base + "_quant_scales_mul"))
        new_nodes.append(helper.make_node("Mul", [cast_out, scales], [out], name=base + "_quant_output_scale_mul"))
    used = {i for n in new_nodes for i in n.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    del graph.node[:]
    graph.node.extend(new_nodes)
    model.producer_name = "image-search quantize.py"
    # Keep the model's opsets; MatMulInteger and DynamicQuantizeLinear are in the default domain since 10/11.
    onnx.checker.check_model(model)
    return model


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: quantize.py IN.onnx OUT.onnx")
    m = quantize(onnx.load(sys.argv[1]))
    onnx.save(m, sys.argv[2])
    print("wrote", sys.argv[2])


if __name__ == "__main__":
    main()
