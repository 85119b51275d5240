"""Where the built-in lessons/ and templates/ are, installed or in a checkout."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`lessons` or `templates`: inside the wheel (`_data/`), else the checkout's top level."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"lessonpack's built-in {name}/ folder is missing; reinstall lessonpack")
