"""The fullest school file the tests use: a logo that is a wide banner, a brand colour, a
name full of Markdown and XML characters, a deputy DSL, five local routes and large print.
Shared by tests/test_schema.py and benchmarks/writers_bench.py."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def write_full_school(folder: Path) -> Path:
    """school.toml and its logo in `folder`; the path of school.toml."""
    Image.new("RGB", (3000, 40), (200, 30, 30)).save(folder / "logo.png", "PNG")
    routes = "".join(
        f'\n[[help_routes]]\nname = "Local route {n} – Gwasanaeth {n}"\naudience = "anyone"\n'
        f'phone = "01234 00000{n}"\nwebsite = "https://example{n}.gov.uk"\n' for n in range(1, 6))
    (folder / "school.toml").write_text(f"""\
[school]
name = "St Mary's *C of E* & <Friends> Academy"
address = ["1 High Street", "Exampletown EX1 1AA"]
logo = "logo.png"
colour = "#F4C430"
large_print = true

[dsl]
name = "Ms A Example"
email = "dsl@example.sch.uk"
phone = "01234 567890"

[deputy_dsl]
name = "Mr C Example"
email = "deputy@example.sch.uk"

[signatory]
name = "Mr B Example"
role = "Headteacher"

[lesson]
force = "hampshire"
{routes}""", encoding="utf-8")
    return folder / "school.toml"
