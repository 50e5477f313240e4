"""Pressroom: health articles in Markdown, published as PDF leaflets and EPUB ebooks."""

__version__ = "0.1.0"
