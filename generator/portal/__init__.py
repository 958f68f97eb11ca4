"""The portal's pages: the site plan, URLs, rendering, Markdown, the page shell, 繁體, templates and theme."""
