"""A tensor indexed by a key (`x[:, -5:, :]`, `h[:, -1]`), as every reader has it.

tf_keras saves it as a SlicingOpLambda (`__operators__.getitem`) with the key in the call's
`slice_spec`; Keras 3 as a GetItem op taking the key as its second argument (`call_kwargs` gives
it as `slice_spec` too); the source reader writes tf_keras's form. A key whose last item is a
full slice (`:`) leaves the last axis whole: every value it keeps is passed on unchanged, and a
softmax's rows still sum to 1, so the head is what feeds it. Any other key (`x[..., :3]`,
`x[:, 0]` on a 2-D tensor, a key only known at run time) may cut the class axis: unknown.
"""

from __future__ import annotations

from typing import Any, Optional

Shape = Optional[tuple[Optional[int], ...]]
GETITEM_CLASSES = frozenset({"SlicingOpLambda", "TFOpLambda"})  # tf_keras; the source reader
SLICE_KEYS = frozenset({"start", "stop", "step"})
# How a head names such a slice (HC901): what the user wrote, not the op class Keras saves it as.
CUT_SLICE = "a slice whose key may cut the class axis"
NEW_AXIS = ("new",)
UNKNOWN_BOUND = "?"  # how the source reader writes a bound it does not know

Item = tuple[Any, ...]  # ("slice", start, stop, step), ("int", i), NEW_AXIS


def is_getitem(class_name: str, config: dict[str, Any]) -> bool:
    if class_name == "GetItem":  # Keras 3's op
        return True
    function = config.get("function")
    return class_name in GETITEM_CLASSES and isinstance(function, str) and (
        function.rsplit(".", 1)[-1] == "getitem")


def call_kwargs(class_name: str, node: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """A call's kwargs, with a Keras 3 GetItem's key (its second argument) as `slice_spec`."""
    args = node.get("args") if class_name == "GetItem" and isinstance(node, dict) else None
    if isinstance(args, list) and len(args) == 2:
        return {**kwargs, "slice_spec": args[1]}
    return kwargs


def keeps_last_axis(spec: Any) -> bool:
    items = _items(spec)
    return bool(items) and items[-1] == ("slice", None, None, None)  # type: ignore[index]


def sliced_shape(shape: Shape, spec: Any) -> Shape:
    """The shape `shape[key]` has, or None when the key or a needed dimension is unknown."""
    items = _items(spec)
    if shape is None or items is None or sum(i != NEW_AXIS for i in items) > len(shape):
        return None
    out: list[Optional[int]] = []
    axis = 0
    for item in items:
        if item == NEW_AXIS:
            out.append(1)
            continue
        dim = shape[axis]
        axis += 1
        if item[0] == "slice":
            bounds = item[1:]
            if bounds == (None, None, None):
                out.append(dim)
            elif dim is not None and UNKNOWN_BOUND not in bounds and bounds[2] != 0:
                out.append(len(range(*slice(*bounds).indices(dim))))
            else:
                out.append(None)
    return (*out, *shape[axis:])


def _items(spec: Any) -> Optional[list[Item]]:
    """The key's items, or None when one of them is not known (an Ellipsis, a tensor, a list)."""
    items = []
    for item in spec if isinstance(spec, list) else [spec]:
        if isinstance(item, dict):
            bounds = item.get("config") if item.get("class_name") == "__slice__" else item
            if not isinstance(bounds, dict) or set(bounds) != SLICE_KEYS:
                return None
            known = all(_bound(bounds[k]) for k in ("start", "stop", "step"))
            # a slice whose bounds are known only at run time (`x[:, -n:]`) is still a slice
            items.append(("slice", *(bounds[k] if known else UNKNOWN_BOUND
                                     for k in ("start", "stop", "step"))))
        elif item is None:
            items.append(NEW_AXIS)
        elif isinstance(item, int) and not isinstance(item, bool):
            items.append(("int", item))
        else:
            return None
    return items


def _bound(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))
