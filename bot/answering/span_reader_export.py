"""Build the span reader's ONNX graph at setup time from the packaged MiniLM and our trained LoRA file."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from bot.answering import span_reader
from index.model_export import OPSET, build_graph, prepare
from index.model_files import ModelFiles, packaged_model_dir


def export(cache_dir: Path, precision: str, weights: Path = span_reader.SPAN_WEIGHTS) -> ModelFiles:
    """Write one precision's graph (int8 is derived from fp32) and its hash record."""
    files = span_reader.span_reader_files(cache_dir, precision, weights)
    fp32 = span_reader.span_reader_files(cache_dir, "fp32", weights)
    build_graph(files, fp32, lambda out: export_fp32(out, weights), weights, model="newsdesk-span-reader",
                keep_ffn_fp32=False)  # every MatMul int8
    return files


def export_lede(cache_dir: Path, precision: str) -> ModelFiles:
    """export() for the lede reader's weights."""
    return export(cache_dir, precision, span_reader.LEDE_WEIGHTS)


def linear(weights: dict[str, np.ndarray], name: str, rows: int):  # noqa: ANN201  (a torch Linear)
    """A torch Linear holding the trained head `name` (weight + bias from the .npz)."""
    import torch

    layer = torch.nn.Linear(weights[f"{name}.weight"].shape[1], rows)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(weights[f"{name}.weight"].astype(np.float32)))
        layer.bias.copy_(torch.from_numpy(weights[f"{name}.bias"].astype(np.float32)))
    return layer


def merged_bert(weights: dict[str, np.ndarray]):  # noqa: ANN201  (a transformers BertModel)
    """The packaged BERT with each LoRA pair folded in (W + B @ A), or whole weights put in (rank 0)."""
    import torch
    import transformers
    from transformers import AutoModel

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(packaged_model_dir())).eval()
    modules = dict(bert.named_modules())
    whole = {name[len("bert."):]: w for name, w in weights.items() if name.startswith("bert.")
             and not name.endswith((".a", ".b"))}
    if whole:
        bert.load_state_dict({n: torch.from_numpy(w.astype(np.float32)) for n, w in whole.items()}, strict=False)
    for name in weights:
        if name.startswith("bert.") and name.endswith(".a"):
            owner = name[len("bert.") : -len(".a")]
            delta = weights[name[:-2] + ".b"].astype(np.float32) @ weights[name].astype(np.float32)
            with torch.no_grad():
                modules[owner].weight += torch.from_numpy(delta)
    return bert


def export_fp32(out: Path, weights_path: Path = span_reader.SPAN_WEIGHTS) -> None:
    """Trace the merged BERT + both heads into one graph: logit [batch], start and end [batch, tokens]."""
    import torch

    weights = dict(np.load(weights_path))
    bert = merged_bert(weights)
    head, span = linear(weights, "head", 1), linear(weights, "span", 2)

    class Read(torch.nn.Module):
        """Mean over the pair's real tokens -> answerability logit; every token's state -> start/end logits."""

        def __init__(self) -> None:
            super().__init__()
            self.bert, self.head, self.span = bert, head, span

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            logit = self.head((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)).squeeze(-1)
            spans = self.span(hidden)
            return logit, spans[..., 0], spans[..., 1]

    names = ["input_ids", "attention_mask", "token_type_ids"]
    ids = torch.tensor([[101, 2040, 2003, 102, 7592, 2088, 1012, 102], [101, 2040, 102, 7592, 102, 0, 0, 0]])
    types = torch.tensor([[0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 0, 0, 0]])
    axes = ({name: {0: "batch", 1: "tokens"} for name in names} | {"logit": {0: "batch"}}
            | {name: {0: "batch", 1: "tokens"} for name in ("start", "end")})
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Read().eval(), (ids, (ids != 0).long(), types), str(out), input_names=names,
            output_names=["logit", "start", "end"], dynamic_axes=axes, opset_version=OPSET, dynamo=False,
        )


def main() -> None:
    """Prepare the span reader's ONNX files (idempotent: files that match their record are kept)."""
    prepare("span reader", span_reader.span_reader_files, export, main.__doc__)
    prepare("lede reader", lambda c, p: span_reader.span_reader_files(c, p, span_reader.LEDE_WEIGHTS),
            export_lede, main.__doc__)


if __name__ == "__main__":
    main()
