"""Regenerate docs/preview.png, the picture of the default KS3 pack in the README and docs/generate.md.

    python scripts/make_preview.py

Needs LibreOffice and poppler-utils. The date is fixed so the picture only changes
when the pack does.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"

with tempfile.TemporaryDirectory() as out:
    subprocess.run([sys.executable, "-m", "lessonpack.commands.cli", "generate", "-k", "ks3", "--out", out,
                    "--date", "2026-12-01"], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "lessonpack.commands.cli", "preview", f"{out}/school/ks3", "--out",
                    str(DOCS / "preview.png")], check=True)
