"""The portal's files for machines, as bytes: open data, feeds and sitemaps."""
