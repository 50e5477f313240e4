"""The EPUB 3 ebook: pages from the layouts packaged by ebooklib.
"""
