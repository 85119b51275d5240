"""One pack's words: content + school → typed template data → Jinja → Markdown → the document model."""
