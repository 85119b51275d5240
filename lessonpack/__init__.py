"""lessonpack: safeguarding lesson packs on sextortion for UK schools and police forces."""

__version__ = "0.1.0"
