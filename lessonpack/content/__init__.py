"""Lesson content: typed models for the YAML under lessons/, their loader and its cache.

Everything a teacher reads comes from here as data; nothing in this package knows
about templates or file formats.
"""
