"""Many packs: a CSV of schools → one pack per school and key stage, and an index of them.

The steps, each testable on its own:

    read_schools     the school list → rows (lessonpack.batch.schools; whole-file problems exit 2)
    plan_rows        rows → a School, folder name and key stages per row (lessonpack.batch.schools)
    shard_of         the K-th of N contiguous parts of the rows (lessonpack.batch.schools)
    run_batch        build and write the packs, in this process or in a pool of them
    write_index      index.csv and index.json: what was made, with every file's SHA-256

A bad row never stops the run: it becomes a `failed` entry in the index. A run that is
interrupted and started again skips the packs that are already complete and current.
"""
