"""Writing packs under --out: atomically, only inside it, only over packs, never over inputs.

`write` puts a pack in place in one rename (and recovers an interrupted one), `packs`
knows a pack folder from anything else, and `inputs` keeps every output off the run's
own inputs.
"""

from lessonpack.output.inputs import check_not_inputs
from lessonpack.output.packs import check_replaceable, not_a_pack
from lessonpack.output.write import (
    hidden_names,
    leftovers,
    lstat_mode,
    pack_dir,
    recover,
    remove_tree,
    school_lock,
    write_all,
    write_pack,
    writer_alive,
)

__all__ = ["check_not_inputs", "check_replaceable", "hidden_names", "leftovers", "lstat_mode",
           "not_a_pack", "pack_dir", "recover", "remove_tree", "school_lock", "write_all",
           "write_pack", "writer_alive"]
