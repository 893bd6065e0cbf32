"""Training targets: their summaries, the HC4xx rules on real arrays and models, `--targets FILE`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from keras_headcheck.targets import (
    MAX_BATCHES,
    MAX_ELEMENTS,
    TargetError,
    load_targets_file,
    summarize_array,
    summarize_targets,
)

RNG = np.random.default_rng(0)
N = 64
IDS4 = RNG.integers(0, 4, N)
IDS4[:4] = [0, 1, 2, 3]  # every class present
ONE_HOT4 = np.eye(4, dtype="float32")[IDS4]
MULTI_HOT5 = (RNG.random((N, 5)) > 0.5).astype("float32")
MULTI_HOT5[0] = [1, 1, 0, 0, 0]
BINARY = (IDS4 % 2).astype("float32")
SIGNED = BINARY * 2 - 1
PRICES = RNG.uniform(10, 500, N).astype("float32")
NORMAL = RNG.normal(size=N).astype("float32")
RATES = RNG.uniform(0.01, 0.99, N).astype("float32")
SOFT4 = RNG.dirichlet(np.ones(4), N).astype("float32")


# --- summaries ---------------------------------------------------------------------------------


def test_integer_class_ids() -> None:
    s = summarize_array(IDS4)
    assert (s.shape, s.kind, s.integer_valued, s.values) == ((N,), "int", True, (0.0, 1.0, 2.0, 3.0))
    assert (s.minimum, s.maximum, s.positives, s.partial) == (0.0, 3.0, None, False)
    assert s.describe() == f"shape ({N},), values {{0, 1, 2, 3}}"


def test_one_hot_and_multi_hot_rows() -> None:
    one_hot, multi_hot = summarize_array(ONE_HOT4), summarize_array(MULTI_HOT5)
    assert one_hot.one_hot and not one_hot.multi_hot and one_hot.binary
    assert multi_hot.multi_hot and not multi_hot.one_hot and multi_hot.positives[1] >= 2  # type: ignore[index]


def test_continuous_values_keep_no_value_set() -> None:
    s = summarize_array(RATES)
    assert s.kind == "float" and not s.integer_valued and s.values is None
    assert 0 < s.minimum < s.maximum < 1


def test_nan_and_infinity_are_noted_and_left_out_of_the_range() -> None:
    s = summarize_array(np.array([0.5, np.nan, 2.0, np.inf]))
    assert not s.finite and (s.minimum, s.maximum) == (0.5, 2.0)


def test_booleans_strings_and_empty_targets() -> None:
    assert summarize_array(np.array([True, False])).values == (0.0, 1.0)
    assert not summarize_array(np.array(["cat", "dog"])).numeric
    assert not summarize_array(np.zeros((0, 3))).numeric


def test_large_targets_are_summarised_from_their_first_rows() -> None:
    s = summarize_array(np.zeros(MAX_ELEMENTS + 10, dtype="int8"))
    assert s.partial and s.rows == MAX_ELEMENTS
    assert "first" in s.describe()


def test_lists_and_pandas_objects() -> None:
    pd = pytest.importorskip("pandas")
    assert summarize_targets([0, 1, 1]).summaries[0].values == (0.0, 1.0)
    assert summarize_targets([[0, 1], [1, 0]]).summaries[0].one_hot  # nested lists: one array
    assert summarize_targets(pd.Series([1.5, 2.5])).summaries[0].shape == (2,)
    frame = pd.DataFrame({"a": [0, 1], "b": [1, 0]})
    assert summarize_targets(frame).summaries[0].one_hot


def test_per_output_targets_by_name_and_by_position() -> None:
    by_name = summarize_targets({"cls": IDS4, "reg": PRICES})
    assert by_name.for_output("reg", 0) is by_name.summaries[1]
    assert by_name.for_output("other", 0) is None
    by_position = summarize_targets([IDS4, PRICES])
    assert by_position.for_output("whatever", 1) is by_position.summaries[1]
    single = summarize_targets(IDS4)
    assert single.for_output("x", 0) is single.summaries[0] and single.for_output("y", 1) is None
    assert summarize_targets(single) is single


class CountingDataset:
    """A `keras.utils.PyDataset`-like sequence of (x, y) batches that counts what is read."""

    def __init__(self, batches: int) -> None:
        self.batches, self.reads = batches, 0

    def __len__(self) -> int:
        return self.batches

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        self.reads += 1
        return np.zeros((8, 3)), IDS4[index * 8 : (index + 1) * 8]


def test_sequence_datasets_are_read_for_their_first_batches_only() -> None:
    data = CountingDataset(8)
    s = summarize_targets(data).summaries[0]
    assert data.reads == MAX_BATCHES and s.rows == MAX_BATCHES * 8 and s.partial
    short = CountingDataset(2)
    assert not summarize_targets(short).summaries[0].partial and short.reads == 2


class CountingIterable:
    """A re-iterable dataset (like `tf.data`) of (x, y) batches that counts the batches taken."""

    def __init__(self, batches: int) -> None:
        self.batches, self.reads = batches, 0

    def __iter__(self) -> Any:
        for index in range(self.batches):
            self.reads += 1
            yield np.zeros((8, 3)), IDS4[index * 8 : (index + 1) * 8]


def test_iterable_datasets_are_read_for_exactly_the_documented_batches() -> None:
    data = CountingIterable(8)
    s = summarize_targets(data).summaries[0]
    assert MAX_BATCHES == 4  # the README says "only the first 4 batches are read"
    assert data.reads == MAX_BATCHES and s.rows == MAX_BATCHES * 8 and s.partial
    short = CountingIterable(2)
    assert not summarize_targets(short).summaries[0].partial and short.reads == 2


def test_torch_data_loader() -> None:
    torch = pytest.importorskip("torch")
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(torch.zeros(N, 3), torch.tensor(IDS4)), batch_size=8, shuffle=True)
    s = summarize_targets(loader).summaries[0]
    assert s.rows == MAX_BATCHES * 8 and s.values is not None and set(s.values) <= {0.0, 1.0, 2.0, 3.0}
    assert sum(len(batch[1]) for batch in loader) == N


def test_keras_pydataset() -> None:
    keras = pytest.importorskip("keras")

    class Batches(keras.utils.PyDataset):
        def __len__(self) -> int:
            return 6

        def __getitem__(self, index: int) -> tuple[Any, Any]:
            return np.zeros((8, 3)), ONE_HOT4[index * 8 : (index + 1) * 8]

    s = summarize_targets(Batches()).summaries[0]
    assert s.shape == (MAX_BATCHES * 8, 4) and s.one_hot


def test_tf_data_is_read_without_being_consumed() -> None:
    tf = pytest.importorskip("tensorflow")
    dataset = tf.data.Dataset.from_tensor_slices((np.zeros((N, 3)), {"cls": IDS4, "reg": PRICES})).batch(8)
    targets = summarize_targets(dataset)
    assert targets.names == ("cls", "reg")
    assert targets.summaries[0].rows == MAX_BATCHES * 8
    assert sum(1 for _ in dataset) == N // 8  # still every batch for training


def test_generators_are_refused_not_consumed() -> None:
    batches = ((np.zeros((8, 3)), IDS4[:8]) for _ in range(3))
    with pytest.raises(TargetError, match="one-shot generator"):
        summarize_targets(batches)
    assert len(list(batches)) == 3


@pytest.mark.parametrize("bad", [None, "labels.npy", object(), iter([])])
def test_unusable_targets_are_refused(bad: Any) -> None:
    with pytest.raises(TargetError):
        summarize_targets(bad)


# --- files ---------------------------------------------------------------------------------------


def test_target_files(tmp_path: Path) -> None:
    np.save(tmp_path / "y.npy", IDS4)
    np.savez(tmp_path / "y.npz", labels=ONE_HOT4)
    (tmp_path / "y.csv").write_text("label\n" + "\n".join(map(str, IDS4)) + "\n")
    (tmp_path / "wide.csv").write_text("0.5,1\n0.25,0\n")
    assert load_targets_file(str(tmp_path / "y.npy")).summaries[0].values == (0.0, 1.0, 2.0, 3.0)
    assert load_targets_file(str(tmp_path / "y.npz")).summaries[0].one_hot
    assert load_targets_file(str(tmp_path / "y.csv")).summaries[0] == summarize_array(IDS4)
    assert load_targets_file(str(tmp_path / "wide.csv")).summaries[0].shape == (2, 2)


@pytest.mark.parametrize(
    "name, write, match",
    [
        ("objects.npy", lambda p: np.save(p, np.array([{"a": 1}], dtype=object)), "pickle"),
        ("two.npz", lambda p: np.savez(p, a=IDS4, b=IDS4), "expected exactly one"),
        ("ragged.csv", lambda p: Path(p).write_text("1,2\n3\n"), "line 2: expected 2 number"),
        ("words.csv", lambda p: Path(p).write_text("a\nb\n"), "line 2: expected 1 number"),
        ("header_only.csv", lambda p: Path(p).write_text("label\n"), "no rows of numbers"),
        ("junk.npy", lambda p: Path(p).write_bytes(b"\x00" * 40), ""),
        ("labels.txt", lambda p: Path(p).write_text("1\n"), "expected a .npy"),
        ("missing.npy", lambda p: None, "No such file"),
    ],
)
def test_unreadable_target_files(tmp_path: Path, name: str, write: Callable[[str], Any], match: str) -> None:
    path = str(tmp_path / name)
    write(path)
    with pytest.raises(TargetError, match=match):
        load_targets_file(path)


# --- the HC4xx rules on real models ------------------------------------------------------------


def _model(head: Callable[[Any], list[Any]], loss: Any, features: int = 3) -> Any:
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((features,)), *head(keras.layers)])
    model.compile(optimizer="adam", loss=loss(keras) if callable(loss) else loss)
    return model


def dense(units: int, activation: Any = None) -> Callable[[Any], list[Any]]:
    return lambda L: [L.Dense(units, activation=activation, name="head")]


def seq2seq_softmax(L: Any) -> list[Any]:
    return [L.Reshape((3, 1)), L.Dense(7, activation="softmax", name="head")]


SCCE, CCE, BCE = "sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy"
TARGET_CASES = [
    # (name, head, loss, targets, the HC4xx codes it must give)
    ("class_ids_with_cce", dense(4, "softmax"), CCE, IDS4, {"HC401"}),
    ("one_hot_with_scce", dense(4, "softmax"), SCCE, ONE_HOT4, {"HC402"}),
    ("labels_over_255_with_scce", dense(4, "softmax"), SCCE, IDS4 / 255, {"HC402"}),
    ("three_units_for_four_classes", dense(3, "softmax"), SCCE, IDS4, {"HC403"}),
    ("two_sigmoids_for_width_1_labels", dense(2, "sigmoid"), BCE, BINARY, {"HC403"}),
    ("regression_width_mismatch", dense(2), "mse", PRICES, {"HC403"}),
    ("multi_hot_with_softmax", dense(5, "softmax"), CCE, MULTI_HOT5, {"HC405"}),
    ("targets_above_1_with_sigmoid", dense(1, "sigmoid"), "mse", PRICES, {"HC404"}),
    ("negative_targets_with_relu", dense(1, "relu"), "mse", NORMAL, {"HC404"}),
    ("counts_with_bce_on_logits", dense(1), lambda k: k.losses.BinaryCrossentropy(from_logits=True),
     PRICES.round(), {"HC404"}),
    ("signed_labels_with_bce", dense(1, "sigmoid"), BCE, SIGNED, {"HC407"}),
    ("rates_with_linear_output", dense(1), "mse", RATES, {"HC406"}),
    ("binary_targets_with_mse", dense(1, "sigmoid"), "mse", BINARY, {"HC408"}),
    ("one_hot_with_sigmoids", dense(4, "sigmoid"), BCE, ONE_HOT4, {"HC409"}),
    # correct pairs: quiet
    ("class_ids_with_scce", dense(4, "softmax"), SCCE, IDS4, set()),
    ("class_id_column_with_scce", dense(4, "softmax"), SCCE, IDS4.reshape(-1, 1), set()),
    ("logits_with_scce_from_logits", dense(4), lambda k: k.losses.SparseCategoricalCrossentropy(from_logits=True),
     IDS4, set()),
    ("one_hot_with_cce", dense(4, "softmax"), CCE, ONE_HOT4, set()),
    ("soft_labels_with_cce", dense(4, "softmax"), CCE, SOFT4, set()),
    ("multi_hot_with_sigmoids", dense(5, "sigmoid"), BCE, MULTI_HOT5, set()),
    ("binary_with_sigmoid_bce", dense(1, "sigmoid"), BCE, BINARY, set()),
    ("prices_with_linear_output", dense(1), "mse", PRICES, set()),
    ("signed_labels_with_tanh_hinge", dense(1, "tanh"), "hinge", SIGNED, set()),
    ("token_ids_with_per_step_softmax", seq2seq_softmax, SCCE, RNG.integers(0, 7, (N, 3)), set()),
]


@pytest.mark.parametrize("name, head, loss, y, expected", TARGET_CASES, ids=[c[0] for c in TARGET_CASES])
def test_target_rules(name: str, head: Any, loss: Any, y: Any, expected: set[str]) -> None:
    from keras_headcheck import check

    findings = check(_model(head, loss), y, select=["HC4"])
    assert {f.code for f in findings} == expected, [f.message for f in findings]
    assert all(f.output == "head" for f in findings)


def test_each_output_gets_its_own_targets() -> None:
    keras = pytest.importorskip("keras")
    from keras_headcheck import check

    inputs = keras.Input((3,))
    cls = keras.layers.Dense(4, activation="softmax", name="cls")(inputs)
    reg = keras.layers.Dense(1, activation="relu", name="reg")(inputs)
    model = keras.Model(inputs, {"cls": cls, "reg": reg})
    model.compile(optimizer="adam", loss={"cls": CCE, "reg": "mse"})
    by_name = check(model, {"reg": NORMAL, "cls": IDS4}, select=["HC4"])
    assert [(f.code, f.output) for f in by_name] == [("HC401", "cls"), ("HC404", "reg")]
    by_position = check(model, [ONE_HOT4, NORMAL], select=["HC4"])
    assert [(f.code, f.output) for f in by_position] == [("HC404", "reg")]
    assert check(model, {"cls": ONE_HOT4}, select=["HC4"]) == []  # no targets for reg: no rule
    with pytest.raises(ValueError, match="model's outputs are"):
        check(model, {"clss": IDS4})


def test_no_targets_no_target_rules() -> None:
    from keras_headcheck import check

    assert check(_model(dense(4, "softmax"), CCE), select=["HC4"]) == []


# --- `keras-headcheck check MODEL --targets FILE` ------------------------------------------------


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory: Any) -> str:
    path = tmp_path_factory.mktemp("model") / "cce.keras"
    _model(dense(4, "softmax"), CCE).save(path)
    return str(path)


def test_cli_targets_file(saved_model: str, tmp_path: Path, cli: Any) -> None:
    np.save(tmp_path / "ids.npy", IDS4)
    np.save(tmp_path / "one_hot.npy", ONE_HOT4)
    bad = cli("check", "--output-format", "json", saved_model, "--targets", str(tmp_path / "ids.npy"))
    assert (bad.returncode, [f["code"] for f in bad.findings]) == (1, ["HC401"])
    good = cli("check", "--output-format", "json", "--targets", str(tmp_path / "one_hot.npy"), saved_model)
    assert (good.returncode, good.findings) == (0, [])


def test_cli_targets_need_exactly_one_model(saved_model: str, tmp_path: Path, cli: Any) -> None:
    np.save(tmp_path / "ids.npy", IDS4)
    result = cli("check", saved_model, saved_model, "--targets", str(tmp_path / "ids.npy"))
    assert result.returncode == 2 and "--targets" in result.stderr


def test_cli_unreadable_targets_file(saved_model: str, tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "objects.npy"
    np.save(path, np.array([{"a": 1}], dtype=object))
    result = cli("check", "--output-format", "json", saved_model, "--targets", str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr_lines) == 1 and str(path) in result.stderr_lines[0]
    assert os.path.exists(path)


def test_class_ids_message_names_the_width_only_when_it_is_known() -> None:
    from keras_headcheck.head import WEIGHTED, Head, LossSpec, Link
    from keras_headcheck.rules import RULES

    def hc401(shape: Any) -> list[str]:
        link = Link("probs", "Dense", WEIGHTED, activation="softmax", shape=shape)
        head = Head("probs", (link,), LossSpec("categorical_crossentropy", "categorical_crossentropy"))
        return [hit.message for hit in RULES["HC401"].check(head, summarize_array(IDS4))]

    assert [m.endswith("expects one-hot rows of width 4") for m in hc401((None, 4))] == [True]
    unknown = hc401((None, None))
    assert len(unknown) == 1 and unknown[0].endswith("expects one-hot rows as wide as the output")
