"""One pack's words: content + school → typed template data → sandboxed Jinja → Markdown → the document model."""
