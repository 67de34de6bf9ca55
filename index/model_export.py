"""Export the packaged weights to ONNX (setup time only: this is the one place torch is imported)."""

from __future__ import annotations

import argparse
import functools
import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from index.model_files import (
    MODEL_NAME,
    PRECISIONS,
    ModelFiles,
    default_cache_dir,
    is_ready,
    made_once,
    model_files,
    packaged_model_dir,
    read_record,
    write_record,
)
from index.signed_int8 import PROBE_NAME, probe_weights, signed_sums_exact, signed_twin, twin_of

OPSET = 17


def export(cache_dir: Path, precision: str) -> ModelFiles:
    """Write the embedder's ONNX graph for one precision and its hash record."""
    files = model_files(cache_dir, precision)
    build_graph(files, model_files(cache_dir, "fp32"), export_fp32, packaged_model_dir() / "model.safetensors")
    return files


def build_graph(files: ModelFiles, fp32: ModelFiles, export_fp32: Callable[[Path], None], source: Path,
                model: str = MODEL_NAME, keep_ffn_fp32: bool = True) -> None:
    """Write a graph atomically (int8 is quantized from fp32, made first if needed), then its hash record."""
    files.onnx.parent.mkdir(parents=True, exist_ok=True)
    if files.precision == "int8":
        if not is_ready(fp32, full_check=True):
            build_graph(fp32, fp32, export_fp32, source, model)
        build = lambda tmp: quantize_int8(fp32.onnx, tmp, keep_ffn_fp32)  # noqa: E731
    else:
        build = export_fp32
    write_graph(files.onnx, build)
    write_record(files, source, model)


def write_graph(target: Path, build: Callable[[Path], object]) -> None:
    """Build a graph into a temporary file beside target, then move it into place (never half a file)."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        build(Path(tmp_name))
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def export_fp32(out: Path) -> None:
    """Trace BERT + mean pooling + L2 normalisation into one ONNX graph that outputs embeddings."""
    import torch
    import transformers
    from transformers import AutoModel

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(packaged_model_dir())).eval()

    class Pooled(torch.nn.Module):
        """The sentence-transformers recipe for this model: mean over real tokens, then unit length."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            mean = mean_pooled(self.bert, input_ids, attention_mask, token_type_ids)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    names = ["input_ids", "attention_mask", "token_type_ids"]
    ids = torch.tensor([[101, 7592, 2088, 2003, 1037, 3231, 1012, 102], [101, 7592, 102, 0, 0, 0, 0, 0]])
    example = (ids, (ids != 0).long(), torch.zeros_like(ids))  # a padded row, so masking is traced
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"embedding": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled().eval(), example, str(out), input_names=names, output_names=["embedding"],
            dynamic_axes=axes, opset_version=OPSET, dynamo=False,
        )


def mean_pooled(bert: Any, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
    """BERT's last hidden states averaged over the real (unmasked) tokens: one vector per row (torch tensors)."""
    hidden = bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)


def quantize_int8(fp32: Path, out: Path, keep_ffn_fp32: bool = True) -> None:
    """Dynamic int8 for the weight MatMuls, per channel; the FFN output MatMuls stay fp32 when asked (accuracy)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # quantize_dynamic warns about optional pre-processing
    graph = onnx.load(str(fp32)).graph
    keep_fp32 = [n.name for n in graph.node if n.op_type == "MatMul" and keep_ffn_fp32 and is_ffn_output(n.name)]
    quantize_dynamic(
        str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True,
        op_types_to_quantize=["MatMul"], nodes_to_exclude=keep_fp32,
    )
    model = onnx.load(str(out))
    unsigned_weights(model)
    onnx.save(model, str(out))


def unsigned_weights(model: Any) -> int:
    """Store each MatMulInteger's int8 weights as the same values in uint8 (w + 128, zero point + 128).

    onnxruntime multiplies uint8 activations by int8 weights with AVX2's saturating 16-bit pair sums unless the CPU
    has VNNI, so one int8 graph gave other reader verdicts, and other answers, on another machine (bbc-dev 0.60 on
    the machine the answer model was fitted on, 0.55 on an AVX2-only EPYC). uint8 x uint8 is summed exactly on
    every x86 CPU, and the shifted weights with the shifted zero point are the same numbers, so every machine now
    computes what the fitted one did. A tensor two nodes share is shifted once. Returns how many tensors were rewritten.
    """
    return shifted_weights(model, "INT8", "UINT8", 128)


def signed_weights(model: Any) -> int:
    """The inverse of unsigned_weights: int8 weights, which a CPU with VNNI sums exactly and fastest (signed_int8)."""
    return shifted_weights(model, "UINT8", "INT8", -128)


def shifted_weights(model: Any, source: str, target: str, shift: int) -> int:
    """Rewrite each MatMulInteger's weights and zero point of type source as the same numbers in target."""
    from onnx import TensorProto, numpy_helper

    stored = {tensor.name: tensor for tensor in model.graph.initializer}
    found: set[str] = set()
    for node in model.graph.node:
        pair = node.input[1:4:2]  # the weights and their zero point
        if node.op_type == "MatMulInteger" and len(pair) == 2 and all(
                n in stored and stored[n].data_type == getattr(TensorProto, source) for n in pair):
            found.update(pair)
    for name in found:
        values = numpy_helper.to_array(stored[name]).astype(np.int16) + shift
        stored[name].CopyFrom(numpy_helper.from_array(values.astype(np.dtype(target.lower())), name))
    return len(found)


def write_signed_twin(files: ModelFiles, model: str) -> ModelFiles:
    """Write the int8 graph's signed-weight twin (index.signed_int8) atomically, then its hash record."""
    import onnx

    twin = signed_twin(files)
    graph = onnx.load(str(files.onnx))
    signed_weights(graph)
    write_graph(twin.onnx, lambda out: onnx.save(graph, str(out)))
    write_record(twin, files.onnx, model)
    return twin


def write_probe(folder: Path) -> Path:
    """Write index.signed_int8's probe: its saturating weights as a graph, under PROBE_NAME."""
    import onnx

    weights = probe_weights()
    probe = matmul_integer(weights, np.zeros(weights.shape[1], np.int8))
    write_graph(folder / PROBE_NAME, lambda out: onnx.save(probe, str(out)))
    return folder / PROBE_NAME


def matmul_integer(weights: np.ndarray, zero: np.ndarray) -> Any:
    """One MatMulInteger node: uint8 activations "a" (zero point 0) times a stored weight matrix and its zero point."""
    from onnx import TensorProto, helper, numpy_helper

    node = helper.make_node("MatMulInteger", ["a", "w", "a_zero", "w_zero"], ["y"])
    graph = helper.make_graph(
        [node], "matmul", [helper.make_tensor_value_info("a", TensorProto.UINT8, [None, weights.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [None, weights.shape[1]])],
        [numpy_helper.from_array(weights, "w"), numpy_helper.from_array(zero, "w_zero"),
         numpy_helper.from_array(np.array(0, dtype=np.uint8), "a_zero")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


def is_ffn_output(node_name: str) -> bool:
    """The feed-forward block's second projection: '/layer.N/output/dense/MatMul', not attention's."""
    return "/output/dense/" in node_name and "/attention/" not in node_name


def prepare(label: str, files_for: Callable[[Path, str], ModelFiles], make: Callable[[Path, str], object],
            description: str | None) -> None:
    """The setup command for one model's graphs: --cache-dir, --precision; files matching their record are kept."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--cache-dir", type=Path, default=None, help="default: NEWSDESK_MODEL_DIR or ~/.cache/newsdesk/models"
    )
    parser.add_argument("--precision", choices=[*PRECISIONS, "all"], default="all")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    cache_dir = args.cache_dir or Path(os.environ.get("NEWSDESK_MODEL_DIR") or default_cache_dir())
    for precision in PRECISIONS if args.precision == "all" else (args.precision,):
        files = files_for(cache_dir, precision)
        make_them = functools.partial(make, cache_dir, precision)
        made = not is_ready(files, full_check=True) and made_once(files, make_them, full_check=True)
        print(f"{label} {precision}: " + (f"exported to {files.onnx}" if made else f"up to date ({files.onnx})"))
        if precision == "int8":
            prepare_twin(label, files)


def prepare_twin(label: str, files: ModelFiles) -> None:
    """Make the int8 graph's signed twin and the probe that says whether this CPU may run it (index.signed_int8)."""
    twin, model = signed_twin(files), str((read_record(files) or {}).get("model", MODEL_NAME))
    if not twin_of(files, twin):  # made from an earlier graph of the same name: make it again
        twin.record.unlink(missing_ok=True)
    made = made_once(twin, lambda: write_signed_twin(files, model), full_check=True)
    if not (files.onnx.parent / PROBE_NAME).is_file():
        write_probe(files.onnx.parent)
    exact = signed_sums_exact(files.onnx.parent)
    print(f"{label} int8 signed: " + (f"exported to {twin.onnx}" if made else f"up to date ({twin.onnx})")
          + ("; this CPU sums it exactly and runs it" if exact else "; this CPU runs the uint8 graph (exact here)"))


def main() -> None:
    """Prepare the embedding model's ONNX files (idempotent: files that match their record are kept)."""
    prepare("model", model_files, export, main.__doc__)


if __name__ == "__main__":
    main()
