"""The MkDocs plugin: the only code that imports MkDocs, besides the build command."""
