"""Core: what every stage shares and nothing of publishing — problems and their `path:line`
reporting, settings read once, files by content, atomic writes, YAML with line numbers,
locale tags, a project's folders, bounded external programs, digests.
"""
