"""The project layout keeps `datasets/` as data: the Hugging Face library must still import."""

from __future__ import annotations

import subprocess
import sys
import zipfile
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


def test_the_wheel_installs_one_top_level_package(tmp_path: Path) -> None:
    """Stages install as allegations.schemas, .extract, .eval, .publish: nothing generic lands in site-packages."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("allegations-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        top = {name.split("/")[0] for name in archive.namelist() if not name.split("/")[0].endswith(".dist-info")}
        names = set(archive.namelist())
    assert top == {"allegations"}, top
    for stage in ("schemas", "core", "extract", "eval", "publish"):
        assert f"allegations/{stage}/__init__.py" in names, stage


def test_every_stage_imports_from_any_directory(tmp_path: Path) -> None:
    probe = "import allegations.schemas, allegations.core, allegations.extract, allegations.eval, allegations.publish"
    subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, check=True, capture_output=True)
