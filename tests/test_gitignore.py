"""`.gitignore` matching (keras_headcheck/gitignore.py) against git's documented rules, on real
directory trees: anchoring, directory-only patterns, `**`, negation, escapes, nested files."""

from __future__ import annotations

from pathlib import Path

import pytest

from keras_headcheck.gitignore import GitIgnore, parse


def ignored(patterns: str, path: str, is_dir: bool = False, base: str = "/repo") -> bool:
    ignore = GitIgnore(parse(patterns, base, f"{base}/.gitignore"))
    return ignore.match(f"{base}/{path}", is_dir) is not None


@pytest.mark.parametrize("patterns, path, is_dir, expected", [
    ("*.keras", "a/b/m.keras", False, True),  # no slash: any level
    ("/m.keras", "m.keras", False, True),  # leading slash: anchored
    ("/m.keras", "a/m.keras", False, False),
    ("a/m.keras", "x/a/m.keras", False, False),  # a middle slash anchors too
    ("build/", "build", True, True),  # trailing slash: directories only
    ("build/", "build", False, False),
    ("**/ckpt", "a/b/ckpt", True, True),
    ("a/**/m.py", "a/m.py", False, True),  # `/**/` is zero or more directories
    ("a/**/m.py", "a/x/y/m.py", False, True),
    ("a/**", "a/x/m.py", False, True),
    ("m?.py", "m1.py", False, True),
    ("m?.py", "m10.py", False, False),
    ("m[0-9].py", "m7.py", False, True),
    ("m[!0-9].py", "m7.py", False, False),
    ("*.py\n!keep.py", "keep.py", False, False),  # the last match wins
    ("!keep.py\n*.py", "keep.py", False, True),
    ("\\#notes.py", "#notes.py", False, True),  # escaped comment character
    ("# a comment\n\n", "a.py", False, False),
    ("trailing.py   ", "trailing.py", False, True),  # trailing spaces are dropped
])
def test_pattern(patterns: str, path: str, is_dir: bool, expected: bool) -> None:
    assert ignored(patterns, path, is_dir) is expected


def test_nested_gitignore_files_and_the_repository_above(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("secret.py\n")
    (tmp_path / ".gitignore").write_text("*.keras\n")
    sub = tmp_path / "models"
    sub.mkdir()
    (sub / ".gitignore").write_text("!keep.keras\n")
    # the walk starts below the repository's top: the patterns above still apply
    ignore = GitIgnore.for_root(str(sub)).entering(str(sub))
    assert ignore.match(str(sub / "old.keras"), False) is not None
    assert ignore.match(str(sub / "keep.keras"), False) is None
    assert ignore.match(str(sub / "secret.py"), False) is not None
    assert ignore.match(str(sub / "train.py"), False) is None
