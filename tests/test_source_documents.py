"""The checks of content against CONTENT.md and the seeds: run whenever the folder is
there, fail under CI=true when it is not, and skip with a note anywhere else."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

# One check that reads CONTENT.md, run in a pytest of its own.
CHECK = "tests/test_content_routes.py::test_national_contacts_come_from_content_md"


def _pytest(tmp_path: Path, ci: bool, shared: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LESSONPACK_SHARED": str(shared or tmp_path / "no-such-folder")}
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", CHECK],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_missing_source_documents_fail_under_ci(tmp_path):
    run = _pytest(tmp_path, ci=True)
    assert run.returncode == 1, run.stdout
    assert "1 error" in run.stdout and "skipped" not in run.stdout, run.stdout
    assert "CI=true but" in run.stdout and "no-such-folder" in run.stdout, run.stdout


def test_missing_source_documents_skip_with_a_note_elsewhere(tmp_path):
    run = _pytest(tmp_path, ci=False)
    assert run.returncode == 0, run.stdout
    assert "1 skipped" in run.stdout, run.stdout
    summary = run.stdout.split("content not checked against its source documents", 1)[1]
    assert "1 checks did not run" in summary and "LESSONPACK_SHARED" in summary, run.stdout
    assert "python -m pytest -m source_documents" in summary, run.stdout


def _shared_folder(tmp_path: Path, content_md: str) -> Path:
    folder = tmp_path / "shared"
    (folder / "seeds").mkdir(parents=True)
    (folder / "CONTENT.md").write_text(content_md, encoding="utf-8")
    return folder


def test_the_checks_run_whenever_the_folder_is_there(tmp_path):
    # The national contacts, written out here as CONTENT.md gives them.
    whole = _shared_folder(tmp_path / "whole", "999 and 101; textphone 18001 101; text 18000")
    run = _pytest(tmp_path, ci=False, shared=whole)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout
    short = _shared_folder(tmp_path / "short", "999 and 101; textphone 18001 101")
    run = _pytest(tmp_path, ci=False, shared=short)
    assert run.returncode == 1 and "1 failed" in run.stdout, run.stdout
