"""The browser tests' live server must not leak a response's open file when a client resets."""

from __future__ import annotations

import gc
import socket
import struct
import time
import warnings
from urllib.parse import urlsplit


def _fetch_then_reset(base_url: str, path: str) -> bytes:
    """GET ``path`` sending a few bytes more than the request, read the reply, then reset (RST)."""
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    try:
        request = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n"
        sock.sendall(request.encode() + b"x" * 64)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    finally:
        # SO_LINGER 0: close() sends a reset, as a browser does when it cancels a request.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    return reply


def test_a_static_file_is_closed_when_the_browser_resets_the_connection(live_server):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(20):
            assert _fetch_then_reset(live_server, "/static/img/favicon.svg").startswith(b"HTTP/1.1 200")
        time.sleep(0.3)  # the server's threads finish their requests
        gc.collect()
    leaked = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaked == []
