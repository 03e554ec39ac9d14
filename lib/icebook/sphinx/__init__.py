"""The book's Sphinx extensions (named in _config.yml): offline pages, incremental rebuilds, the bibliography."""
