"""One module per command verb; cli.py assembles them."""
