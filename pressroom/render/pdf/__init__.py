"""The PDF leaflet: HTML from the layouts laid out by WeasyPrint, booklets imposed.
"""
