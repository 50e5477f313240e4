"""Content: Markdown with YAML front matter → a plain content model with source positions,
and resolved into a Publication (notes numbered, links checked, UI strings and language
attached). Knows nothing of PDF, EPUB or HTML.
"""
