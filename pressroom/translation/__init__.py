"""Translation: segments of an article, translations compared with their sources (complete,
outdated, missing), drafts, PO files and the UI's gettext catalogs.
"""
