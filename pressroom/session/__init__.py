"""Session: the caches a long-lived process keeps (articles as loaded, UI strings,
segments) and which articles a command works on. No verbs: build and check live in
build/.
"""
