"""Export the packaged weights to ONNX (setup time only: this is the one place torch is imported)."""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import warnings
from pathlib import Path

from index.model_files import (
    PRECISIONS,
    ModelFiles,
    default_cache_dir,
    is_ready,
    model_files,
    packaged_model_dir,
    write_record,
)

OPSET = 17


def export(cache_dir: Path, precision: str) -> ModelFiles:
    """Write the ONNX graph for one precision (int8 is derived from fp32) and its hash record."""
    files = model_files(cache_dir, precision)
    cache_dir.mkdir(parents=True, exist_ok=True)
    if precision == "int8":
        fp32 = model_files(cache_dir, "fp32")
        if not is_ready(fp32, full_check=True):
            export(cache_dir, "fp32")
        build = lambda tmp: quantize_int8(fp32.onnx, tmp)  # noqa: E731
    else:
        build = export_fp32
    fd, tmp_name = tempfile.mkstemp(dir=cache_dir, suffix=".onnx.tmp")
    os.close(fd)
    try:
        build(Path(tmp_name))
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, files.onnx)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    write_record(files, packaged_model_dir() / "model.safetensors")
    return files


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
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
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


def quantize_int8(fp32: Path, out: Path) -> None:
    """Dynamic int8 for the weight MatMuls, per channel; the FFN output MatMuls stay fp32 (accuracy)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # quantize_dynamic warns about optional pre-processing
    graph = onnx.load(str(fp32)).graph
    keep_fp32 = [n.name for n in graph.node if n.op_type == "MatMul" and is_ffn_output(n.name)]
    quantize_dynamic(
        str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True,
        op_types_to_quantize=["MatMul"], nodes_to_exclude=keep_fp32,
    )


def is_ffn_output(node_name: str) -> bool:
    """The feed-forward block's second projection: '/layer.N/output/dense/MatMul', not attention's."""
    return "/output/dense/" in node_name and "/attention/" not in node_name


def main() -> None:
    """Prepare the ONNX model files (idempotent: files that match their record are kept)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument(
        "--cache-dir", type=Path, default=None, help="default: NEWSDESK_MODEL_DIR or ~/.cache/newsdesk/models"
    )
    parser.add_argument("--precision", choices=[*PRECISIONS, "all"], default="all")
    args = parser.parse_args()
    cache_dir = args.cache_dir or Path(os.environ.get("NEWSDESK_MODEL_DIR") or default_cache_dir())
    for precision in PRECISIONS if args.precision == "all" else (args.precision,):
        files = model_files(cache_dir, precision)
        if is_ready(files, full_check=True):
            print(f"model {precision}: up to date ({files.onnx})")
            continue
        export(cache_dir, precision)
        print(f"model {precision}: exported to {files.onnx}")


if __name__ == "__main__":
    main()
