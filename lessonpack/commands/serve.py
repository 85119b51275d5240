"""`lessonpack serve`: the web page, on this computer or for a force's schools."""

from __future__ import annotations

import os
import sys
import threading
import webbrowser
from pathlib import Path

import click


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. 0.0.0.0 listens on every network, for hosting behind "
              "a reverse proxy. Example: --host 0.0.0.0")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Port to listen on. Example: --port 8080")
@click.option("--workers", type=click.IntRange(1, 64),
              help="Processes that build packs at once (default: one per CPU). Example: --workers 4")
@click.option("--timeout", type=click.FloatRange(1, 600), default=30, show_default=True,
              help="Seconds a pack may take before the request is stopped (504).")
@click.option("--rate-limit", type=click.IntRange(0), default=300, show_default=True,
              help="Packs (previews and downloads) a minute from one address; pages are never "
              "limited. 300 lets 60 people behind one school's address all finish within a "
              "minute. 0 turns it off.")
@click.option("--total-limit", type=click.IntRange(0), default=1200, show_default=True,
              help="Packs a minute from all addresses together; 0 turns it off.")
@click.option("--proxy", is_flag=True,
              help="Behind a reverse proxy on this machine: take the visitor's address from "
              "X-Forwarded-For (for the rate limit) and the scheme from X-Forwarded-Proto.")
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
def serve(host: str, port: int, workers: int | None, timeout: float, rate_limit: int,
          total_limit: int, proxy: bool, no_browser: bool) -> None:
    """Run the web page where teachers and DSLs make their pack.

    \b
    Opens your browser on it; stop it with Ctrl-C. Nothing a visitor types is stored.

    \b
    Examples:
      lessonpack serve                                  on this computer only
      lessonpack serve --port 8080 --no-browser
      lessonpack serve --host 127.0.0.1 --proxy --workers 4    behind nginx, for schools
    """
    import uvicorn

    from lessonpack.web.app import Config, create_app

    lessons = os.environ.get("LESSONPACK_LESSONS")
    config = Config(jobs=workers or _cores(), timeout=timeout, rate=rate_limit, total=total_limit,
                    lessons=Path(lessons) if lessons else None)
    address = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    click.echo(f"lessonpack's web page: {address}  (Ctrl-C to stop)")
    if not no_browser and sys.stdout.isatty() and host in ("127.0.0.1", "localhost", "::1"):
        # Once the server has had a moment to start listening.
        threading.Timer(1.5, webbrowser.open, args=(address,)).start()
    from lessonpack.web.server import GuardedH11Protocol

    # No limit_concurrency: uvicorn's own 503 would lack the security headers; the app
    # refuses past its own limit instead (web.server.ConnectionLimit).
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning",
                proxy_headers=proxy, forwarded_allow_ips="127.0.0.1" if proxy else None,
                server_header=False, access_log=False, timeout_keep_alive=5,
                http=GuardedH11Protocol)
