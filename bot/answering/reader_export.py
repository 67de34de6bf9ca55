"""Build the answerability reader's ONNX graph at setup time from the packaged MiniLM and our trained LoRA file."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from bot.answering.reader import READER_WEIGHTS, reader_files
from index.model_export import OPSET, build_graph, mean_pooled, prepare
from index.model_files import ModelFiles, packaged_model_dir


def export(cache_dir: Path, precision: str) -> ModelFiles:
    """Write one precision's graph (int8 is derived from fp32) and its hash record."""
    files = reader_files(cache_dir, precision)
    build_graph(files, reader_files(cache_dir, "fp32"), export_fp32, READER_WEIGHTS, model="newsdesk-reader",
                keep_ffn_fp32=False)  # every MatMul int8: 7 ms instead of 10, same validation AUC (README)
    return files


def merged_bert(weights: dict[str, np.ndarray]):  # noqa: ANN201  (a transformers BertModel)
    """The packaged BERT with each LoRA pair folded into its Linear: W + B @ A."""
    import torch
    import transformers
    from transformers import AutoModel

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(packaged_model_dir())).eval()
    modules = dict(bert.named_modules())
    for name in weights:
        if name.startswith("bert.") and name.endswith(".a"):
            owner = name[len("bert.") : -len(".a")]
            delta = weights[name[:-2] + ".b"].astype(np.float32) @ weights[name].astype(np.float32)
            with torch.no_grad():
                modules[owner].weight += torch.from_numpy(delta)
    return bert


def export_fp32(out: Path) -> None:
    """Trace the merged BERT + mean pooling + the logistic head into one graph that outputs a logit per pair."""
    import torch

    weights = dict(np.load(READER_WEIGHTS))
    bert = merged_bert(weights)
    head = torch.nn.Linear(bert.config.hidden_size, 1)
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(weights["head.weight"].astype(np.float32)))
        head.bias.copy_(torch.from_numpy(weights["head.bias"].astype(np.float32)))

    class Scored(torch.nn.Module):
        """Mean over real tokens of the pair, then the head: the reader's answerability logit."""

        def __init__(self) -> None:
            super().__init__()
            self.bert, self.head = bert, head

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            return self.head(mean_pooled(self.bert, input_ids, attention_mask, token_type_ids)).squeeze(-1)

    names = ["input_ids", "attention_mask", "token_type_ids"]
    ids = torch.tensor([[101, 2040, 2003, 102, 7592, 2088, 1012, 102], [101, 2040, 102, 7592, 102, 0, 0, 0]])
    types = torch.tensor([[0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 0, 0, 0]])
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"logit": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Scored().eval(), (ids, (ids != 0).long(), types), str(out), input_names=names, output_names=["logit"],
            dynamic_axes=axes, opset_version=OPSET, dynamo=False,
        )


def main() -> None:
    """Prepare the reader's ONNX files (idempotent: files that match their record are kept)."""
    prepare("reader", reader_files, export, main.__doc__)


if __name__ == "__main__":
    main()
