"""Editions: editions.yaml — paper, brand, large print, booklet, QR codes, the site's
address — read and checked against its own schema.
"""
