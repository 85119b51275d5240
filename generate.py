"""Run lessonpack from a checkout without installing it: `python generate.py generate ...`."""

from lessonpack.commands.cli import main

if __name__ == "__main__":
    main()
