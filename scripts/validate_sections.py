"""Validate whichever content sections the given YAML files hold, one section at a time.

Useful while writing content: `python scripts/validate_sections.py lessons/myths.yaml`.
The full cross-checked load is `lessonpack check` / `load_content`.
"""

import sys
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from lessonpack.content.lessons import Content
from lessonpack.content.yamlfile import load_yaml_with_lines

failed = False
for name in sys.argv[1:]:
    path = Path(name)
    data, lines = load_yaml_with_lines(path, path.read_bytes())
    for key, value in (data or {}).items():
        field = Content.model_fields.get(key)
        if field is None:
            print(f"{path}: unknown section {key!r}")
            failed = True
            continue
        try:
            TypeAdapter(field.annotation).validate_python(value)
            print(f"{path}: {key}: ok ({len(value) if isinstance(value, list) else 1})")
        except ValidationError as exc:
            failed = True
            for err in exc.errors():
                loc = (key, *err["loc"])
                line = next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), 1)
                print(f"{path}: line {line}: {'/'.join(map(str, loc))}: {err['msg']}")
sys.exit(1 if failed else 0)
