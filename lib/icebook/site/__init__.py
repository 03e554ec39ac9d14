"""Checks on a built site: links, anchors, nothing from another host, every number traced."""
