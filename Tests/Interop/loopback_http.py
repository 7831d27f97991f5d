"""A loopback HTTP/1.1 listener for the Python checks that stand in for a provider.

One thread per connection and one request per connection (every answer says
`Connection: close`): the request line, headers and `Content-Length` body are read, and
the subclass's `respond(request, head, connection)` writes whatever it wants, or nothing
(a dropped connection). Used by `fuzz_upstream.py` (hostile answers) and
`Benchmarks/attacks.py` (a counting door in front of the stand-in).
"""

from __future__ import annotations

import socket
import threading


class Request:
    """One request as it arrived: headers by lower-case name."""

    def __init__(self, method: str, target: str, headers: dict, body: bytes) -> None:
        self.method, self.target, self.headers, self.body = method, target, headers, body
        self.path = target.split("?", 1)[0]

    def carries(self, secrets) -> bool:
        """Whether any header holds one of `secrets`."""
        return any(secret in value for value in self.headers.values() for secret in secrets)


class LoopbackHTTP:
    """Listens on 127.0.0.1 at a port of its own (`port`) until `close()`."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(256)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        try:
            self.listener.close()
        except OSError:
            pass

    def respond(self, request: Request, head: bytes, connection: socket.socket) -> None:
        """Answers `request` on `connection` (closed afterwards); `head` is its raw head."""
        raise NotImplementedError

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            buffer = b""
            while b"\r\n\r\n" not in buffer:
                piece = connection.recv(65536)
                if not piece:
                    return
                buffer += piece
            head, rest = buffer.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            method, target = lines[0].split(" ")[:2]
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0") or 0)
            while len(rest) < length:
                piece = connection.recv(65536)
                if not piece:
                    return
                rest += piece
            self.respond(Request(method, target, headers, rest[:length]), head, connection)
        except OSError:
            pass
        finally:
            connection.close()
