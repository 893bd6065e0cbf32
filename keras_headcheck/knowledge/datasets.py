"""What the data loaders of Keras and its ecosystem say about the labels they produce.

Each entry was checked against the loader's source (keras/src/datasets/*.py,
keras/src/utils/dataset_utils.py, keras/src/legacy/preprocessing/image.py): the label format,
the number of classes, the per-sample label shape and dtype. Readers turn these into target facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

IDS = "class ids"  # integer class ids 0..classes-1
ONE_HOT = "one-hot"  # rows of 0s with exactly one 1
ZERO_ONE = "0/1"  # 0s and 1s, possibly several 1s per row (multi-label)
CONTINUOUS = "continuous"


@dataclass(frozen=True)
class LabelSpec:
    """The labels one loader (or one mode of a loader) yields."""

    format: str  # IDS | ONE_HOT | ZERO_ONE | CONTINUOUS
    classes: Optional[int] = None  # for IDS / ONE_HOT; None: only known at run time
    kind: str = "int"  # "int" | "float" | "bool"
    sample_shape: tuple[Optional[int], ...] = ()  # per-sample label shape; None: width unknown
    unsigned: bool = False  # uint8 labels: `y - 1` wraps around instead of going negative
    low: Optional[float] = None  # CONTINUOUS: the range of the targets
    high: Optional[float] = None
    rows: tuple[Optional[int], Optional[int]] = (None, None)  # (train, test) with the defaults


# keras.datasets.<name>.load_data() -> ((x_train, y_train), (x_test, y_test))
KERAS_DATASETS: dict[str, LabelSpec] = {
    "mnist": LabelSpec(IDS, 10, unsigned=True, rows=(60000, 10000)),
    "fashion_mnist": LabelSpec(IDS, 10, unsigned=True, rows=(60000, 10000)),
    # cifar labels are reshaped to (len, 1) by the loader
    "cifar10": LabelSpec(IDS, 10, sample_shape=(1,), unsigned=True, rows=(50000, 10000)),
    "cifar100": LabelSpec(IDS, 100, sample_shape=(1,), unsigned=True, rows=(50000, 10000)),
    "imdb": LabelSpec(IDS, 2, rows=(25000, 25000)),
    "reuters": LabelSpec(IDS, 46, rows=(8982, 2246)),
    # median values in $1000s (5.0 to 50.0, capped) / in dollars (14,999 to 500,001, capped)
    "boston_housing": LabelSpec(CONTINUOUS, kind="float", low=5.0, high=50.0, rows=(404, 102)),
    "california_housing": LabelSpec(
        CONTINUOUS, kind="float", low=14999.0, high=500001.0, rows=(16512, 4128)
    ),
}
CIFAR100_LABEL_MODES = {"fine": 100, "coarse": 20}
# Arguments that keep every sample (anything else, such as `maxlen` or `test_split`, may drop
# samples or classes, so the row counts and the highest class id are no longer known).
KEEPS_SAMPLES = frozenset(
    {"path", "num_words", "skip_top", "seed", "start_char", "oov_char", "index_from", "label_mode"}
)

# ImageDataGenerator.flow_from_directory(class_mode=...), default "categorical". The labels are
# batches of `dtype` (float32); `classes=[...]` gives their number. "input" (the images
# themselves) and None (no labels) give no label facts.
FLOW_FROM_DIRECTORY_MODES: dict[str, LabelSpec] = {
    "categorical": LabelSpec(ONE_HOT, kind="float", sample_shape=(None,)),
    "binary": LabelSpec(IDS, 2, kind="float"),
    "sparse": LabelSpec(IDS, kind="float"),
}
# flow_from_dataframe: the same, except that "categorical" also takes lists of labels per row
# (multi-label), so its rows are 0/1 without the promise of a single 1.
FLOW_FROM_DATAFRAME_MODES: dict[str, LabelSpec] = {
    **FLOW_FROM_DIRECTORY_MODES,
    "categorical": LabelSpec(ZERO_ONE, kind="float", sample_shape=(None,)),
}
FLOW_DEFAULT_MODE = "categorical"

# image_dataset_from_directory / text_dataset_from_directory / audio_dataset_from_directory
# (label_mode=..., default "int"): int32 ids, one-hot float32 rows, or float32 0/1 of shape (1,).
DIRECTORY_DATASET_MODES: dict[str, LabelSpec] = {
    "int": LabelSpec(IDS, kind="int"),
    "categorical": LabelSpec(ONE_HOT, kind="float", sample_shape=(None,)),
    "binary": LabelSpec(IDS, 2, kind="float", sample_shape=(1,)),
}
DIRECTORY_DEFAULT_MODE = "int"
DIRECTORY_DATASETS = frozenset(
    {"image_dataset_from_directory", "text_dataset_from_directory", "audio_dataset_from_directory"}
)

# Label encoders of scikit-learn and pandas, by the name they are imported as.
SKLEARN_ENCODERS = frozenset({"LabelEncoder", "OneHotEncoder", "LabelBinarizer"})
