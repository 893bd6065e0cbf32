"""transformers' TensorFlow models -> their heads.

`TF...For<Task>` models (and `TFAutoModelFor<Task>`, and the `TF...LMHeadModel` language
models) output logits: a linear head. Compiled without a loss they train with their own
`hf_compute_loss`: for the classification tasks sparse categorical crossentropy on the logits
(`from_logits=True`); a sequence classifier with `num_labels=1` is a regression (mean squared
error).

Read from transformers' source, 4.57.6 (`modeling_tf_utils.py`: the
`TFQuestionAnsweringLoss`, `TFCausalLanguageModelingLoss` mixins; `modeling_tf_bert.py`:
`TFBertPreTrainingLoss`, `TFBertForPreTrainingOutput`; `modeling_tf_segformer.py`:
`TFSegformerForSemanticSegmentation.hf_compute_loss`), all sparse categorical crossentropy with
`from_logits=True`. A question answerer has two outputs (`start_logits`, `end_logits`: one score
per token, so no class count), BERT pretraining two (`prediction_logits` over the vocabulary,
`seq_relationship_logits`); a seq2seq LM's `logits` are over the vocabulary; SegFormer's `logits`
are channels-first `(batch, num_labels, h/4, w/4)` (its own loss moves the classes last), so no
class count is claimed for the last axis.
"""

from __future__ import annotations

import re
from typing import Any, Optional, Union

from .heads import KnownHead, Unsupported, sparse_crossentropy, units_of

LIBRARY = "transformers"
CLASSIFIERS = ("SequenceClassification", "TokenClassification", "ImageClassification",
               "AudioClassification", "MultipleChoice", "MaskedLM", "CausalLM")
# `TFPreTrainedModel.compile(loss=None)` compiles with this function of modeling_tf_utils.py in
# its place (which returns the loss the model computed itself), so files hold its name.
PLACEHOLDER = "dummy_loss"
TASK = re.compile(r"^TF\w*For(\w+)$")
# Tasks (or, where the task's loss differs between models, exact classes) whose outputs are
# logits trained with their built-in sparse categorical crossentropy: their output names.
LOGIT_OUTPUTS: dict[str, tuple[str, ...]] = {
    "QuestionAnswering": ("start_logits", "end_logits"),
    "Seq2SeqLM": ("logits",),  # TFAutoModelForSeq2SeqLM (T5, BART...: TFCausalLanguageModelingLoss)
    "TFBertForPreTraining": ("prediction_logits", "seq_relationship_logits"),
    "TFSegformerForSemanticSegmentation": ("logits",),
}
# The language-model heads not named `For<Task>`: logits over the vocabulary, trained with
# `TFCausalLanguageModelingLoss` (modeling_tf_gpt2.py, _openai, _ctrl, _xlnet, _bert).
LOGIT_OUTPUTS.update(dict.fromkeys(
    ("TFGPT2LMHeadModel", "TFOpenAIGPTLMHeadModel", "TFCTRLLMHeadModel", "TFXLNetLMHeadModel",
     "TFBertLMHeadModel"), ("logits",)))


# `TFSequenceClassificationLoss.hf_compute_loss`: mean squared error on one logit, sparse
# crossentropy on the logits for more. Both suit a linear head, so no loss rule applies when the
# width is not known: LOSS_BY_WIDTH is a loss no rule family holds.
LOSS_BY_WIDTH = "hf_sequence_classification"  # the loss's canonical name (readers/compiled.py)
BY_WIDTH = {
    "module": None,
    "class_name": LOSS_BY_WIDTH,
    "config": {"from_logits": True},
    "written": "transformers' built-in loss: mean squared error on one logit, sparse "
               "crossentropy on logits for more",
}


def _head(name: str, kwargs: dict[str, Any]) -> Union[KnownHead, Unsupported]:
    match = TASK.match(name)
    task = match.group(1) if match else ""
    outputs = LOGIT_OUTPUTS.get(name) or LOGIT_OUTPUTS.get(task)
    if outputs:  # no class count on the last axis (see the module's docstring)
        return KnownHead(LIBRARY, name, outputs[0], None, None, sparse_crossentropy(True),
                         more_outputs=outputs[1:], placeholder_loss=PLACEHOLDER)
    if task not in CLASSIFIERS:
        return Unsupported(LIBRARY, name, "not in keras-headcheck's transformers table")
    labels = kwargs.get("num_labels")
    if labels is None and isinstance(kwargs.get("id2label"), dict):
        labels = len(kwargs["id2label"])  # a saved config holds the labels, not num_labels
    units = units_of(labels) if task in ("SequenceClassification", "TokenClassification",
                                         "ImageClassification", "AudioClassification") else None
    if task == "SequenceClassification" and labels == 1:
        loss: Any = "mean_squared_error"
    elif task == "SequenceClassification" and units is None:
        loss = BY_WIDTH  # num_labels unknown (a checkpoint's): either loss suits the logits
    else:
        loss = sparse_crossentropy(True)
    return KnownHead(LIBRARY, name, "logits", None, units, loss, placeholder_loss=PLACEHOLDER)


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    if not constructor.startswith("transformers."):
        return None
    name = constructor.rsplit(".", 1)[-1]
    return _head(name, kwargs) if _task_model(name) else None


def _task_model(name: str) -> bool:
    return name in LOGIT_OUTPUTS or (name.startswith("TF") and "For" in name)


def from_config(class_name: str, module: str, config: dict[str, Any]) -> Optional[Union[KnownHead, Unsupported]]:
    if not module.startswith("transformers"):
        return None
    return _head(class_name, config) if _task_model(class_name) else None
