"""The translators' PO workflow: export, import, mark-current and status, on top of the
session's loaded articles.
"""
