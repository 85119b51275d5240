"""School lists as forces have them: a force's spreadsheet (.xlsx or CSV in any of the
encodings Excel saves) or the DfE's register, read whole and checked before anything
is made.

    table      the file's bytes → a header and numbered records
    columns    column names (and their aliases) → lessonpack's columns
    register   the DfE register → open schools with their key stages
    areas      choosing local authorities (--la, or the force's area)
    plan       rows → a School, folder and key stages per row, or its problems
    shards     the K-th of N parts of a run
"""

from lessonpack.batch.schools.columns import ALIASES, COLUMNS, REQUIRED_COLUMNS, Row
from lessonpack.batch.schools.plan import (
    RowPlan,
    SchoolsFile,
    assign_slugs,
    parse_key_stages,
    plan_rows,
    read_schools,
    school_from_row,
)
from lessonpack.batch.schools.shards import parse_shard, shard_of
from lessonpack.batch.schools.table import BatchInputError, delimiter

__all__ = [
    "ALIASES", "COLUMNS", "REQUIRED_COLUMNS", "BatchInputError", "Row", "RowPlan",
    "SchoolsFile", "assign_slugs", "delimiter", "parse_key_stages", "parse_shard", "plan_rows",
    "read_schools", "school_from_row", "shard_of",
]
