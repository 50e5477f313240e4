"""Command line: the parser, the commands and what they print; the only place that prints
or decides exit codes.
"""
