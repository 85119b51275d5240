"""`python -m lessonpack`: the same command line as `lessonpack`."""

from lessonpack.commands.cli import main

if __name__ == "__main__":
    main()
