"""School lists as forces have them: a force's spreadsheet (.xlsx, .xls, .ods or CSV in
any of the encodings Excel saves) or a nation's published list, read and checked
before anything is made.

    table, workbooks  the file's bytes → tables: a header and numbered records each
    columns           column names (and their aliases) → lessonpack's columns
    published         what the nations' lists share: rows checked, establishments left out by reason
    register, wales, scotland, northern_ireland   each nation's list → its schools' rows
    publishers        which list is which, and which list each nation publishes
    areas             choosing local authorities (--la, or the force's area)
    reading           the file → rows, chosen
    plan              rows → a School, folder and key stages per row, or its problems
    shards            the K-th of N parts of a run
"""

from lessonpack.batch.schools.columns import ALIASES, COLUMNS, REQUIRED_COLUMNS, Row
from lessonpack.batch.schools.plan import (
    RowPlan,
    assign_slugs,
    parse_key_stages,
    plan_rows,
    school_from_row,
)
from lessonpack.batch.schools.reading import SchoolsFile, read_schools
from lessonpack.batch.schools.shards import parse_shard, shard_of
from lessonpack.batch.schools.table import BatchInputError, delimiter

__all__ = [
    "ALIASES", "COLUMNS", "REQUIRED_COLUMNS", "BatchInputError", "Row", "RowPlan",
    "SchoolsFile", "assign_slugs", "delimiter", "parse_key_stages", "parse_shard", "plan_rows",
    "read_schools", "school_from_row", "shard_of",
]
