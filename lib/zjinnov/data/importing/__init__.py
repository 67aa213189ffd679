"""The import of monitoring workbooks, one job a module (see zjinnov.data.importer)."""
