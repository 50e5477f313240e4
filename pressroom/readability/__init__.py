"""Readability: the reading grade of an article by the formula validated for its language,
and the report the `readability` command and the preview show.
"""
