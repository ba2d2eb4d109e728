"""Run the desk with waitress, a production WSGI server that runs on Linux and Windows alike.

Binds to 127.0.0.1 unless told otherwise. The log has one line per request
(method, path, status, time) and nothing a nurse typed: waitress itself logs
no request data, and the app logs only what is listed in app.py.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from waitress import create_server

from .app import MAX_BODY, create_app


def serve(host: str = "127.0.0.1", port: int = 8000, content: Path | None = None, brand: Path | None = None,
          site: Path | None = None, workers: int | None = None, threads: int = 16,
          behind_proxy: bool = False) -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    workers = workers if workers is not None else (os.cpu_count() or 1)
    app = create_app(content, brand, site, workers=workers)
    proxy = dict(trusted_proxy="*", trusted_proxy_count=1,
                 trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"},
                 clear_untrusted_proxy_headers=True) if behind_proxy else {}
    server = create_server(app, host=host, port=port, threads=threads, ident="", max_request_body_size=MAX_BODY,
                           channel_timeout=60, **proxy)
    address = f"http://{host}:{server.effective_port}/"  # effective_port: the real port when asked for 0
    print(f"Discharge desk on {address} ({workers} render process(es)). Press Ctrl-C to stop.", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["desk"].pool.close()
        print("Discharge desk stopped.", flush=True)
