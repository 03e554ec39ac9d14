"""Tools for maintainers on top of the build: the live preview and the data commands (add-source, impact)."""
