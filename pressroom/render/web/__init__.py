"""The web edition: article pages, indexes, sitemap, the search index (Pagefind) and OPDS
feeds.
"""
