"""Preview: a warm session rebuilding on every save (driver.py) and the HTTP server that
shows the page, its problems and the printed proof (server.py).
"""
