"""One module per chapter: `build(study) -> ChapterResult` (facts to glue, tables to show)."""
