"""The project layout keeps `datasets/` as data: the Hugging Face library must still import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_datasets_folder_is_not_a_package() -> None:
    assert not (ROOT / "datasets" / "__init__.py").exists()


def test_import_datasets_resolves_to_hugging_face_from_the_project_root() -> None:
    probe = "import datasets, sys; print(datasets.__file__); print(hasattr(datasets, 'load_dataset'))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "site-packages" in out[0] and out[1] == "True", out
