"""Engagement pages: the public ones (no login) and the officers' ones, by page area."""
