"""`HeadCheck`: check the head when `model.fit` starts, and explain a loss that will not move."""

from __future__ import annotations

import math
import threading
from typing import Any, Optional, Sequence

from .callback_report import Site, no_keras_error, panel, user_site, warn_at
from .callback_symptoms import explanation, flat_batches, flat_epochs, logged_loss

try:
    import keras  # type: ignore[import-untyped]
except ImportError as exc:  # Keras, or the backend it is set to, is not installed
    raise no_keras_error(exc) from None  # not Keras's import traceback

from .api import check
from .findings import Finding
from .rules import validate_patterns
from .targets import TargetError, Targets, summarize_targets

ON_ERROR = ("warn", "raise", "stop")
REPORT = ("warn", "rich", "both")


class HeadCheckWarning(UserWarning):
    """A finding about the model's head, or a training symptom it explains."""


class HeadCheckError(ValueError):
    """Raised by `HeadCheck(on_error="raise")` before the first batch when the head is wrong."""


class HeadCheck(keras.callbacks.Callback):
    """Check the model's output layer(s) when training starts, and explain a stuck loss.

    When `fit` starts (before the first batch), the model's heads are checked against the
    rules of `keras-headcheck rule --all`, with the compiled loss and metrics and, when given,
    the training targets. Every finding is reported as a `HeadCheckWarning`. During the first
    epochs the callback watches the loss that Keras already logs (no extra forward passes): if
    it is NaN, or does not move at all, it says so and names the head finding that explains
    it, or says that no head rule does.

    The callback never breaks training by itself: if the check fails, that is reported as a
    `HeadCheckWarning` and training goes on.

    Args:
        y: Optional training targets, as given to `fit` (arrays, a dict or list of arrays per
            output, or a re-iterable dataset, of which only the first batches are read), for
            the target rules (HC4xx). Generators are refused: reading them would take batches
            away from training.
        select: Rule codes or prefixes to run (`["HC1", "HC201"]`). Defaults to all rules.
        ignore: Rule codes or prefixes to skip.
        on_error: What to do when a finding is an error. `"warn"` reports it and trains on;
            `"raise"` raises `HeadCheckError` before the first batch; `"stop"` sets
            `model.stop_training`, so training ends cleanly after the first batch (Keras checks
            the flag after each batch). Defaults to `"warn"`.
        report: `"warn"` for `HeadCheckWarning`s, `"rich"` for a panel on stderr, `"both"`.
            Defaults to `"warn"`.
        watch_batches: Number of first batches whose loss is watched for a symptom.
            Defaults to `20`.

    Example:

    >>> model = keras.Sequential([
    ...     keras.Input(shape=(4,)),
    ...     keras.layers.Dense(8, activation="relu"),
    ...     keras.layers.Dense(1, activation="softmax"),
    ... ])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> model.fit(x, y, epochs=2, callbacks=[HeadCheck(y=y)])
    ... # HeadCheckWarning: HC101 [error] softmax over a single unit in `dense_1` always outputs 1.0
    ... # HeadCheckWarning: the loss did not change from epoch 1 to epoch 2 ...: explained by HC101
    """

    # Only reads the logs Keras passes in, under a lock: safe to run off the training thread.
    async_safe = True

    def __init__(
        self,
        y: Any = None,
        *,
        select: Optional[Sequence[str]] = None,
        ignore: Optional[Sequence[str]] = None,
        on_error: str = "warn",
        report: str = "warn",
        watch_batches: int = 20,
    ) -> None:
        super().__init__()
        if on_error not in ON_ERROR:
            raise ValueError(f"Expected `on_error` to be one of {ON_ERROR}. Received: on_error={on_error!r}")
        if report not in REPORT:
            raise ValueError(f"Expected `report` to be one of {REPORT}. Received: report={report!r}")
        if not isinstance(watch_batches, int) or isinstance(watch_batches, bool) or watch_batches < 2:
            raise ValueError(
                f"Expected `watch_batches` to be an integer >= 2. Received: watch_batches={watch_batches!r}"
            )
        self.select = _codes("select", select)
        self.ignore = _codes("ignore", ignore)
        self.on_error = on_error
        self.report = report
        self.watch_batches = watch_batches
        self._targets: Optional[Targets] = None
        self._target_problem: Optional[str] = None
        if y is not None:
            try:
                self._targets = summarize_targets(y)
            except TargetError:
                raise  # a ValueError saying what `y` should be
            except Exception as exc:  # a checker bug must not stop the user from training
                self._target_problem = f"targets could not be read ({type(exc).__name__}: {exc})"
        self.findings: Optional[list[Finding]] = None
        self.symptoms: list[str] = []
        self._lock = threading.Lock()
        self._site: Optional[Site] = None  # the user's `fit` call, for warnings off its thread
        self._reset()

    # tf_keras (Keras 2) asks each callback which batch hooks it implements; Keras 3 does not.
    # Answering here lets the same callback run in a tf_keras model's `fit`.
    def _implements_train_batch_hooks(self) -> bool:
        return True

    def _implements_test_batch_hooks(self) -> bool:
        return False

    def _implements_predict_batch_hooks(self) -> bool:
        return False

    # -- state -------------------------------------------------------------------------------
    def _reset(self) -> None:
        self.findings = None
        self.symptoms = []
        self._first_epoch: Optional[int] = None
        self._epoch = 0
        self._batch_losses: dict[int, float] = {}
        self._epoch_losses: list[float] = []
        self._said: set[str] = set()
        self._deferred = False

    # -- Keras hooks -------------------------------------------------------------------------
    def on_train_begin(self, logs: Optional[dict[str, Any]] = None) -> None:
        self._reset()
        self._site = user_site()  # `fit` calls this on its own thread, so the user's frame is here
        self._deferred = not getattr(self.model, "built", True)
        if not self._deferred:  # a subclassed model fit has not built yet: after its first batch
            self._check()

    def _check(self) -> None:
        self._deferred = False
        try:
            self._check_model()
        except (HeadCheckError, Warning):
            raise  # on_error="raise", or the user turned HeadCheckWarning into errors
        except Exception as exc:
            self.findings = None
            self._say("check", f"the head could not be checked ({type(exc).__name__}: {exc}); training goes on")

    def _check_model(self) -> None:
        problem = self._target_problem
        try:
            self.findings = list(check(self.model, self._targets, select=self.select, ignore=self.ignore))
        except TargetError as exc:  # targets that do not match the model's outputs
            problem = str(exc)
            self.findings = list(check(self.model, select=self.select, ignore=self.ignore))
        if problem:
            self._say("targets", f"{problem}; the target rules (HC4xx) were skipped")
        self._report_findings(self.findings)
        errors = [f for f in self.findings if f.severity == "error"]
        if not errors:
            return
        codes = ", ".join(sorted({f.code for f in errors}))
        if self.on_error == "raise":
            raise HeadCheckError(
                f"the model's head has {len(errors)} error(s) ({codes}); training not started. "
                + "; ".join(f"{f.code}: {f.message}" for f in errors)
            )
        if self.on_error == "stop":
            self.model.stop_training = True
            self._say("stop", f"stopping training after the first batch: the head has error(s) ({codes})")

    def on_epoch_begin(self, epoch: int, logs: Optional[dict[str, Any]] = None) -> None:
        self._epoch = epoch
        if self._first_epoch is None:
            self._first_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: Optional[dict[str, Any]] = None) -> None:
        if self._deferred:
            self._check()  # the first batch built the model: its call() can be traced now
        if self._epoch != self._first_epoch or batch >= self.watch_batches:
            return  # the common case, kept cheap
        try:
            loss = logged_loss(logs)
            if loss is None:
                return
            with self._lock:
                self._batch_losses[batch] = loss
                complete = len(self._batch_losses) == self.watch_batches
            if not math.isfinite(loss):
                self._symptom("nan", f"the loss became {loss} at batch {batch + 1} of epoch {self._epoch + 1}")
            elif complete:
                self._check_first_batches()
        except Warning:
            raise
        except Exception as exc:
            self._say("internal", f"internal error while watching the loss ({type(exc).__name__}: {exc})")

    def on_epoch_end(self, epoch: int, logs: Optional[dict[str, Any]] = None) -> None:
        try:
            if epoch == self._first_epoch:
                self._check_first_batches()
            loss = logged_loss(logs)
            if loss is None:
                return
            if not math.isfinite(loss):
                self._symptom("nan", f"the loss is {loss} at the end of epoch {epoch + 1}")
            self._epoch_losses.append(loss)
            if len(self._epoch_losses) == 2:  # the first epochs only: later, a loss may well settle
                flat = flat_epochs(*self._epoch_losses, epoch)
                if flat:
                    self._symptom("flat", flat)
        except Warning:
            raise
        except Exception as exc:
            self._say("internal", f"internal error while watching the loss ({type(exc).__name__}: {exc})")

    # -- symptoms ----------------------------------------------------------------------------
    def _check_first_batches(self) -> None:
        with self._lock:
            losses = [self._batch_losses[b] for b in sorted(self._batch_losses)]
        flat = flat_batches(losses)
        if flat:
            self._symptom("flat", flat)

    def _symptom(self, kind: str, what: str) -> None:
        with self._lock:
            if kind in self._said:
                return
            self._said.add(kind)
        message = f"{what}. {explanation(self.findings, kind)}"
        self.symptoms.append(message)
        self._emit(message)

    # -- reporting ---------------------------------------------------------------------------
    def _report_findings(self, findings: Sequence[Finding]) -> None:
        if self.report in ("warn", "both"):
            for f in findings:
                self._warn(f"{f.code} [{f.severity}] {f.message} (output {f.output!r}). help: {f.fix}")
        if self.report in ("rich", "both") and findings:
            panel([f.__rich__() for f in findings], title=f"keras-headcheck: {len(findings)} finding(s) in the model's head")

    def _say(self, key: str, message: str) -> None:
        """Report a remark (not a finding) once per training run."""
        with self._lock:
            if key in self._said:
                return
            self._said.add(key)
        self._emit(message)

    def _emit(self, message: str) -> None:
        if self.report in ("warn", "both"):
            self._warn(message)
        if self.report in ("rich", "both"):
            from rich.text import Text

            panel([Text(message)], title="keras-headcheck")


    def _warn(self, message: str) -> None:
        # On the training thread the stack leads back to the user's code; Keras 3 runs the batch
        # hooks of an `async_safe` callback on a worker thread (JAX, PyTorch), whose stack holds
        # no user frame: there the warning points at the `fit` call seen when training began.
        warn_at(message, HeadCheckWarning, user_site() or self._site)


def _codes(name: str, value: Optional[Sequence[str]]) -> Optional[list[str]]:
    if value is None:
        return None
    codes = [value] if isinstance(value, str) else list(value)
    unknown = validate_patterns(codes) if all(isinstance(c, str) for c in codes) else codes
    if unknown:
        raise ValueError(
            f"Expected rule codes or prefixes such as 'HC1' or 'HC101' in `{name}`. "
            f"Received: {name}={value!r}"
        )
    return [c.upper() for c in codes]
