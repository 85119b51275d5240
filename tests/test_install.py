"""The installed tool finds its lessons and templates from any folder, not only a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from .conftest import REPO


def test_wheel_ships_content_and_runs_from_another_folder(tmp_path):
    dist, site, work = tmp_path / "dist", tmp_path / "site", tmp_path / "elsewhere"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("lessonpack-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "lessonpack/_data/lessons/help_routes.yaml" in names
    assert "lessonpack/_data/templates/slides.md.j2" in names
    assert "lessonpack/_data/templates/theme/reference.pptx" in names
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                    str(wheel)], check=True, capture_output=True, timeout=600)
    # The wheel's own copy must win over any checkout on the path; its dependencies come
    # from this environment.
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import lessonpack.resources as r; print(r.data_dir('lessons'))"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert where.startswith(str(site)), where
    result = subprocess.run(
        [sys.executable, str(site / "bin" / "lessonpack"), "generate", "-k", "ks2", "--force", "cumbria"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (work / "output" / "school" / "ks2" / "slides.pptx").stat().st_size > 10_000
