"""keras.applications models (weights=None, 32x32 inputs, 1000 classes) read correctly: no findings,
and the head is understood (a softmax over 1000 units), including MobileNet's
Conv2D -> Reshape -> Activation("softmax") head and MobileNetV3's Conv2D -> Flatten -> Activation."""

from __future__ import annotations

from typing import Any

import pytest
from zoo import APPLICATION_FORMATS, APPLICATIONS

import keras_headcheck
from keras_headcheck.readers import read_heads

BUILT = [
    pytest.param(name, fmt, id=f"{name}-{fmt}") for name in APPLICATIONS for fmt in APPLICATION_FORMATS
]


def _path(applications: Any, name: str, fmt: str) -> str:
    problem = applications.errors.get(name) or applications.errors.get(f"{name}/{fmt}")
    assert problem is None, f"could not build or save {name}:\n{problem}"
    return applications.path(name, fmt)


@pytest.mark.parametrize("name, fmt", BUILT)
def test_application_has_no_findings(name: str, fmt: str, applications: Any) -> None:
    assert list(keras_headcheck.check(_path(applications, name, fmt))) == []


@pytest.mark.parametrize("name, fmt", BUILT)
def test_application_head_is_a_softmax_over_1000_classes(name: str, fmt: str, applications: Any) -> None:
    (head,) = read_heads(_path(applications, name, fmt))
    assert (head.output, head.activation, head.units) == ("predictions", "softmax", 1000)
    assert head.unknown is None
    assert head.loss is not None and head.loss.name == "categorical_crossentropy"
