"""Where in the source text a rule's intent is: the exact characters to change, or nothing.

Readers record lines only; this module parses the text again and looks, on the lines the head
records (its layer's, its compile's), for the one construct the intent means: the `loss=` of the
`compile(...)` (or its entry for this output in a loss dict), the string of the head layer's
`activation=`. Anything else (a loss held in a variable, an activation passed in as a parameter, two
candidate calls on the line, `**kwargs` that may hold the argument) gives no edit. Positions
are (line, column) in the parsed text, columns in code points, end exclusive.
"""

from __future__ import annotations

import ast
import re
from typing import NamedTuple, Optional

from ..head import Head
from ..rules import Intent
from .calls import add_keyword, delete_keyword
from .code import Change, Code
from .names import losses_prefix

# The loss classes of the crossentropies a fix writes or renames, by canonical name.
LOSS_CLASSES = {
    "binary_crossentropy": "BinaryCrossentropy",
    "categorical_crossentropy": "CategoricalCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "binary_focal_crossentropy": "BinaryFocalCrossentropy",
    "categorical_focal_crossentropy": "CategoricalFocalCrossentropy",
}
# A loss class renamed keeps its call only when the new class takes the same arguments the same
# way (Keras 3 and tf_keras signatures): (keywords both take, positional arguments kept).
COMMON = frozenset({"from_logits", "reduction", "name", "dtype"})
RENAMES = {
    ("categorical_crossentropy", "binary_crossentropy"): (COMMON | {"label_smoothing", "axis"}, 3),
    ("categorical_crossentropy", "sparse_categorical_crossentropy"): (COMMON, 1),
    ("sparse_categorical_crossentropy", "categorical_crossentropy"): (COMMON, 1),
    ("categorical_focal_crossentropy", "binary_focal_crossentropy"): (
        COMMON | {"gamma", "label_smoothing", "axis"}, 0,
    ),
}
QUOTES = ('"', "'")
LAYER_CHANGES = ("set_activation", "set_float32")  # the others change the loss
HALF_POLICIES = ("mixed_float16", "mixed_bfloat16", "float16", "bfloat16")
FLAG = re.compile(r"from_logits\s*=\s*True")


class Located(NamedTuple):
    site: tuple[int, int]  # where the construct changed starts: heads sharing it share the fix
    changes: tuple[Change, ...]


def locate(code: Code, head: Head, intent: Intent) -> Optional[Located]:
    """The edit that carries out `intent` on `head`, or None when it cannot be found exactly."""
    if intent.change == "set_activation":
        return _set_activation(code, head, intent.value)
    if intent.change == "set_float32":
        return _set_float32(code, head)
    loss = loss_node(code, head)
    if loss is None or head.loss is None or head.loss.name not in LOSS_CLASSES:
        return None
    if intent.change == "drop_from_logits":
        changes = _drop_from_logits(code, loss, head.loss.name)
    elif intent.change == "set_from_logits":
        changes = _set_from_logits(code, loss, head.loss.name, layer_call(code, head))
    elif intent.change == "rename_loss":
        changes = _rename_loss(code, loss, head.loss.name, intent.value)
    else:
        return None
    return Located(code.start(loss), changes) if changes else None


def site_of(code: Code, head: Head, intent: Intent) -> Optional[tuple[int, int]]:
    """Where the construct an intent of this kind would change sits, for any head (with a finding
    or not): a fix applies only when every head sharing that construct asks for it."""
    if intent.change in LAYER_CHANGES:
        call = layer_call(code, head)
        return code.start(call) if call is not None else None
    loss = loss_node(code, head)
    return code.start(loss) if loss is not None else None


# --- the loss --------------------------------------------------------------------------------


def loss_node(code: Code, head: Head) -> Optional[ast.expr]:
    """The expression giving this output's loss in the `compile(...)` on the compile line."""
    line = head.source.compile_line
    if line is None:
        return None
    compiles = [c for c in code.calls_on(line) if _callee(c) == "compile"]
    if len(compiles) != 1:
        return None
    call = compiles[0]
    if any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return None  # `**options` or `*args` may hold the loss
    given = [k.value for k in call.keywords if k.arg == "loss"]
    if not given and len(call.args) >= 2:
        given = [call.args[1]]  # compile(optimizer, loss, ...)
    if len(given) != 1:
        return None
    value = given[0]
    if isinstance(value, ast.Dict):
        entries = [v for k, v in zip(value.keys, value.values)
                   if isinstance(k, ast.Constant) and k.value == head.output]  # fmt: skip
        if None in value.keys or len(entries) != 1:
            return None
        value = entries[0]
    if isinstance(value, (ast.List, ast.Tuple, ast.Dict)):
        return None  # the order of outputs is the model's: not read here
    return value


def _loss_call(code: Code, node: ast.expr, canonical: str) -> Optional[ast.Call]:
    """`node` when it calls the loss class of `canonical`, with no `*`/`**` arguments."""
    if not isinstance(node, ast.Call) or _callee(node) != LOSS_CLASSES[canonical]:
        return None
    if isinstance(node.func, ast.Call):
        return None
    if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
        return None
    return node


def _drop_from_logits(code: Code, node: ast.expr, canonical: str) -> tuple[Change, ...]:
    call = _loss_call(code, node, canonical)
    if call is None or call.args:  # a positional argument may be the flag itself
        return ()
    flags = [k for k in call.keywords if k.arg == "from_logits"]
    if len(flags) != 1 or not _is_constant(flags[0].value, True):
        return ()
    if not FLAG.fullmatch(code.text(code.start(flags[0]), code.end(flags[0]))):
        return ()  # `from_logits=(True)` and other spellings: not a span to delete blind
    return (delete_keyword(code, call, flags[0]),)


def _set_from_logits(
    code: Code, node: ast.expr, canonical: str, layer: Optional[ast.Call]
) -> tuple[Change, ...]:
    cls = LOSS_CLASSES[canonical]
    if isinstance(node, ast.Constant) and node.value in (canonical, cls):
        if not _is_plain_string(code, node):
            return ()
        prefix = losses_prefix(code.tree, cls, layer.func if layer is not None else None)
        return (code.replace(node, f"{prefix}{cls}(from_logits=True)"),) if prefix is not None else ()
    call = _loss_call(code, node, canonical)
    if call is None or call.args:
        return ()
    flags = [k for k in call.keywords if k.arg == "from_logits"]
    if len(flags) > 1:
        return ()
    if flags:
        value = flags[0].value
        return (code.replace(value, "True"),) if _is_constant(value, False) else ()
    added = add_keyword(code, call, "from_logits=True")
    return (added,) if added is not None else ()


def _rename_loss(code: Code, node: ast.expr, old: str, new: str) -> tuple[Change, ...]:
    if (old, new) not in RENAMES:
        return ()
    allowed, positional = RENAMES[(old, new)]
    old_cls, new_cls = LOSS_CLASSES[old], LOSS_CLASSES[new]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if not _is_plain_string(code, node):
            return ()
        quote = code.text(*_span(code, node))[0]
        spelt = {old: new, old_cls: new_cls}.get(node.value)
        return (code.replace(node, f"{quote}{spelt}{quote}"),) if spelt else ()
    if isinstance(node, ast.Attribute) and node.attr == old and _ends_in_losses(node.value):
        return (_rename_attribute(code, node, new),)  # keras.losses.categorical_crossentropy
    call = _loss_call(code, node, old)
    if call is None or not isinstance(call.func, ast.Attribute):
        return ()  # a bare class name is an import the new name would need too
    if len(call.args) > positional or any(k.arg not in allowed for k in call.keywords):
        return ()
    return (_rename_attribute(code, call.func, new_cls),)


def _rename_attribute(code: Code, node: ast.Attribute, name: str) -> Change:
    line, end = code.end(node)
    return Change(line, end - len(node.attr), line, end, name)


def _ends_in_losses(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "losses" or (
        isinstance(node, ast.Name) and node.id == "losses"
    )


# --- the activation --------------------------------------------------------------------------


def layer_call(code: Code, head: Head) -> Optional[ast.Call]:
    """The one call on the final layer's line that builds it (its class, and its name if given)."""
    final = head.final
    if final is None:
        return None
    line = head.source.line_of(final.name)
    if line is None:
        return None
    calls = [c for c in code.calls_on(line) if _callee(c) == final.class_name
             and not isinstance(c.func, ast.Call)]  # fmt: skip
    if len(calls) > 1:
        calls = [c for c in calls if any(
            k.arg == "name" and _is_constant(k.value, final.name) for k in c.keywords)]  # fmt: skip
    return calls[0] if len(calls) == 1 else None


def _set_activation(code: Code, head: Head, value: str) -> Optional[Located]:
    call = layer_call(code, head)
    if call is None or head.activation is None:
        return None
    if any(k.arg is None for k in call.keywords):
        return None
    written = [k.value for k in call.keywords if k.arg == "activation"]
    if not written and _callee(call) == "Activation" and call.args:
        written = [call.args[0]]
    if len(written) != 1 or not _is_constant(written[0], head.activation):
        return None
    node = written[0]
    if not _is_plain_string(code, node):
        return None
    quote = code.text(*_span(code, node))[0]
    return Located(code.start(call), (code.replace(node, f"{quote}{value}{quote}"),))


def _set_float32(code: Code, head: Head) -> Optional[Located]:
    call = layer_call(code, head)
    if call is None or any(k.arg is None for k in call.keywords):
        return None
    written = [k.value for k in call.keywords if k.arg == "dtype"]
    if len(written) > 1:
        return None
    if written:
        node = written[0]
        if not (isinstance(node, ast.Constant) and node.value in HALF_POLICIES
                and _is_plain_string(code, node)):
            return None
        quote = code.text(*_span(code, node))[0]
        return Located(code.start(call), (code.replace(node, f"{quote}float32{quote}"),))
    added = add_keyword(code, call, 'dtype="float32"')
    return Located(code.start(call), (added,)) if added is not None else None


# --- small helpers ---------------------------------------------------------------------------


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_constant(node: ast.AST, value: object) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is type(value) and node.value == value


def _span(code: Code, node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    return code.start(node), code.end(node)


def _is_plain_string(code: Code, node: ast.Constant) -> bool:
    """A one-line string written `"value"` or `'value'` (no prefix, escape or implicit join)."""
    written = code.text(*_span(code, node))
    return (
        isinstance(node.value, str)
        and len(written) == len(node.value) + 2
        and written[0] in QUOTES
        and written[0] == written[-1]
        and written[1:-1] == node.value
    )

