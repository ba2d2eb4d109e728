"""The discharge desk: a web form nurses use to print a personalised leaflet in seconds.

app.py holds the pages, security.py the CSRF token and response headers,
workers.py the processes that render PDFs, server.py the production server.
"""
