"""The checks behind `lessonpack check`: contacts, safe wording and reading level.

`lessonpack check`, as pure functions: they take what was built (the bytes of each file, the content, the
contacts) and return a list of `Problem`s. Nothing here prints or exits; the CLI
formats the problems and decides the exit status.

The packs are checked by re-opening the written .pptx and .docx bytes with
python-pptx and python-docx, not by looking at the Markdown or the document model
they were made from: what a school gets is the files, so the files are what is
checked, and a bug in a writer (text dropped, a slide lost in pagination) cannot
hide behind a clean model.
"""
