"""Tools for developers: synthetic catalogues and the generated reference page."""
