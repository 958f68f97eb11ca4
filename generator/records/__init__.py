"""Reading the records: YAML with positions, the project's files and record types, the change history, the build's clock, and new record files."""
