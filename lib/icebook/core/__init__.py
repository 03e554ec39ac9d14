"""The core every layer stands on: where the project is, errors, YAML, text rules, versions and the cache.

Imports nothing of the book above it (data, pages, build, site, sphinx, tools)."""
