"""Writing a build into place: the pages and files, the staging directory, the commit and swap, SHA256SUMS and the site archive."""
