"""Issue 23 (the web server): it heals and never blocks.

A killed pack worker is replaced and the request retried (or refused with 503, never a
500); every check of what a visitor sent runs off the event loop with a time limit; an
upload is decoded in full when it is checked; 5,000-digit numbers are a 400; uvicorn's
own answers carry the security headers; a visitor who goes away is one line in the log.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import struct
import subprocess
import threading
import time
import zlib

import pytest
from PIL import Image

from lessonpack.errors import Busy
from lessonpack.web import pages
from lessonpack.web.workers import Workers, _ready
from tests import test_web_app
from tests.helpers import wait_for
from tests.web_helpers import DSL_FORM, png, start_server

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
# The test client for the app, and each field's error on a page, as the app's tests have them.
client, errors = test_web_app.client, test_web_app.errors


def die() -> None:
    """A job that takes its worker with it, as the out-of-memory killer would."""
    os.kill(os.getpid(), signal.SIGKILL)


# --- a dead worker is replaced -----------------------------------------------------------


def test_a_killed_worker_is_replaced_and_the_download_still_made(client) -> None:
    workers = client.app.app.state.workers  # SecurityHeaders wraps the Starlette app
    pool = workers.pool
    for process in list(pool._processes.values()):
        os.kill(process.pid, signal.SIGKILL)
    # The pool notices its worker is gone: the executor marks itself broken.
    wait_for("the pool to see its worker killed", lambda: pool._broken, 30)
    before = workers.replaced
    r = client.post("/download", data=DSL_FORM)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/zip"
    assert workers.replaced == before + 1
    again = client.post("/download", data=DSL_FORM)  # and the new pool goes on working
    assert again.status_code == 200 and workers.replaced == before + 1


def test_a_job_that_kills_every_worker_is_a_503_and_the_pool_heals() -> None:
    async def scenario() -> tuple[bool, bool, int]:
        workers = Workers(jobs=1, queue=4, timeout=60)
        await workers.start()
        try:
            with pytest.raises(Busy):
                await workers.run(die)
            return await workers.run(_ready), await workers.run(_ready), workers.replaced
        finally:
            workers.stop()

    first, second, replaced = asyncio.run(scenario())
    assert first and second
    assert replaced == 2  # once for the job's first try, once for its retry


# --- checks run off the event loop, within a time limit ---------------------------------


def test_a_slow_check_never_blocks_other_visitors(client, monkeypatch) -> None:
    entered = threading.Event()

    def slow(data: bytes):
        entered.set()
        time.sleep(3)  # as a check holding its thread would
        raise AssertionError("not reached in this test's time")

    monkeypatch.setattr(pages, "read_school_toml", slow)
    monkeypatch.setattr(pages, "CHECK_SECONDS", 1.0)
    answers: dict[str, object] = {}

    def load() -> None:
        answers["load"] = client.post("/load", files={"school_toml": ("school.toml", b"x", "text/plain")})

    thread = threading.Thread(target=load)
    thread.start()
    assert entered.wait(10), "the check never started"
    started = time.monotonic()
    health = client.get("/health")
    waited = time.monotonic() - started
    thread.join(10)
    assert health.text == "ok" and waited < 0.5, waited
    assert answers["load"].status_code == 504  # the check's time limit, not a hang


def test_load_of_a_hostile_school_toml_is_answered_at_once(client) -> None:
    address = "a@" + "b." * 28_000 + " x"  # 56 kB: the old email rule held the loop 12 s
    text = f'[school]\nname = "A"\n[dsl]\nname = "B"\nemail = "{address}"\n'.encode()
    started = time.monotonic()
    r = client.post("/load", files={"school_toml": ("school.toml", text, "text/plain")})
    assert time.monotonic() - started < 2
    assert r.status_code == 400
    assert "Line 5" in errors(r)["f-school_toml"]


# --- numbers of 5,000 digits ------------------------------------------------------------


def test_a_5000_digit_number_in_a_loaded_school_toml_is_a_400(client) -> None:
    text = b'[school]\nname = "A"\n[lesson]\nminutes = ' + b"9" * 5000 + b"\n"
    r = client.post("/load", files={"school_toml": ("school.toml", text, "text/plain")})
    assert r.status_code == 400
    assert "a number of 5,000 digits" in errors(r)["f-school_toml"]


@pytest.mark.parametrize("route", ["/edit", "/check"])
def test_a_5000_digit_route_action_is_not_a_500(client, route) -> None:
    r = client.post(route, data={**DSL_FORM, "action": "remove-route-" + "9" * 5000})
    assert r.status_code in (200, 400), r.status_code
    assert "Something went wrong" not in r.text


def test_5000_digit_minutes_and_route_count_are_field_errors(client) -> None:
    r = client.post("/check", data={**DSL_FORM, "lesson.minutes": "9" * 1999,
                                    "route-count": "9" * 1999})
    assert r.status_code == 400
    assert "f-lesson-minutes" in errors(r)


# --- uploads are decoded in full when checked --------------------------------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_bad_idat() -> bytes:
    """A PNG whose header and checksums are right but whose IDAT is not zlib data."""
    ihdr = _chunk(b"IHDR", struct.pack(">IIBBBBB", 40, 20, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + ihdr + _chunk(b"IDAT", b"this is not zlib") + _chunk(b"IEND", b"")


def jpeg_cut_short() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "navy").save(buffer, "JPEG")
    return buffer.getvalue()[:700]  # the header and tables, then a little of the scan


@pytest.mark.parametrize("route", ["/check", "/preview", "/download"])
@pytest.mark.parametrize("logo", [png_with_bad_idat, jpeg_cut_short])
def test_a_damaged_image_is_a_form_error_not_a_500(client, route, logo) -> None:
    r = client.post(route, data=DSL_FORM, files={"school.logo": ("logo.png", logo(), "image/png")})
    assert r.status_code == 400, r.status_code
    assert "damaged" in errors(r)["f-school-logo"]


def test_a_good_logo_still_passes(client) -> None:
    r = client.post("/check", data=DSL_FORM, files={"school.logo": ("logo.png", png(), "image/png")})
    assert r.status_code == 200


# --- uvicorn's own answers, and visitors who go away --------------------------------------


@pytest.fixture(scope="module")
def served():
    process, url = start_server()
    port = int(url.rsplit(":", 1)[1].strip("/"))
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=60)


def raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(data)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("request_bytes", [
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,  # a TLS ClientHello
    b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",  # a NUL in the request line
])
def test_uvicorns_own_400_carries_the_security_headers(served, request_bytes) -> None:
    _, port = served
    answer = raw(port, request_bytes)
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith(b"http/1.1 400")
    for name in (b"content-security-policy:", b"x-content-type-options: nosniff",
                 b"x-frame-options: deny", b"referrer-policy: no-referrer"):
        assert name in head, head


def test_a_visitor_who_goes_away_mid_upload_is_one_line_in_the_log(served) -> None:
    process, port = served
    lines: list[str] = []  # the server's log, read as it comes

    def read_log() -> None:
        for line in iter(process.stdout.readline, b""):
            lines.append(line.decode())

    reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    boundary = "b0undary"
    for _ in range(10):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(f"POST /preview HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n"
                      f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n"
                      f"--{boundary}\r\nContent-Disposition: form-data; name=\"school.logo\"; "
                      f"filename=\"l.png\"\r\n\r\n".encode() + b"x" * 2000)
        time.sleep(0.05)
    wait_for("ten visitors logged as gone", lambda: sum("went away" in line for line in lines) >= 10, 30)
    assert raw(port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").endswith(b"ok")
    process.terminate()
    try:  # a server shutting down on a machine busy with a whole test run can take a while
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    reader.join(10)
    log = "".join(lines)
    assert "Traceback" not in log, log[:2000]
    gone = [line for line in log.splitlines() if "went away" in line]
    assert len(gone) == 10, log[:2000]
