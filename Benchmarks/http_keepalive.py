#!/usr/bin/env python3
"""Keep-alive loopback load for the HTTP server: bounded, loopback only.

    Benchmarks/http_keepalive.py PORT [--connections 4] [--requests 5000] [--path /plain]

Each connection runs in its own process (so the client is not one GIL-bound thread) and sends
`--requests` sequential GETs on one keep-alive connection; prints requests/s and p50/p99 latency.
"""
import argparse
import multiprocessing
import socket
import time


def run_connection(args):
    port, count, path = args
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    latencies = []
    buffer = b""
    for _ in range(count):
        start = time.perf_counter()
        sock.sendall(request)
        while b"\r\n\r\n" not in buffer:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("server closed the connection")
            buffer += chunk
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(buffer) < length:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("server closed the connection")
            buffer += chunk
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.split(b"\r\n")[0].decode())
        buffer = buffer[length:]
        latencies.append(time.perf_counter() - start)
    sock.close()
    return latencies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--path", default="/plain")
    options = parser.parse_args()
    jobs = [(options.port, options.requests, options.path)] * options.connections
    with multiprocessing.Pool(options.connections) as pool:
        started = time.perf_counter()
        results = pool.map(run_connection, jobs)
        elapsed = time.perf_counter() - started
    latencies = sorted(value for result in results for value in result)
    total = len(latencies)
    print(
        f"{total} requests on {options.connections} keep-alive connections in {elapsed:.2f} s: "
        f"{total / elapsed:.0f} req/s, p50 {latencies[total // 2] * 1e3:.3f} ms, "
        f"p99 {latencies[int(total * 0.99)] * 1e3:.3f} ms"
    )


if __name__ == "__main__":
    main()
