"""Render: one renderer per format behind one protocol (protocol.py) — pdf/, epub/, web/ —
each turning a self-contained job into bytes; templating, bidi isolation, covers and the
site's addresses shared by them. Knows nothing of Markdown.
"""
