#!/usr/bin/env python3
"""What making one ledger line durable costs on this disk, four ways.

Appends 200-byte lines to a file in FOLDER (default: .build, on the ordinary disk) and times
each append plus its flush: `fsync` (what the ledger does for a hold), `fdatasync`, a write to
a file opened `O_DSYNC`, and a write into a pre-zeroed region followed by `fdatasync` (no size
change, so no inode write; the ledger cannot do this without NUL padding in the month file).
Modes run alternately, so a busy moment of the disk hits all of them.

Usage: Benchmarks/fsync_probe.py [--count N] [--rounds N] [FOLDER]
"""
import argparse
import os
import statistics
import time

LINE = b"x" * 199 + b"\n"


def probe(folder: str, mode: str, count: int) -> list:
    path = os.path.join(folder, f"fsync-probe-{os.getpid()}-{mode}")
    flags = os.O_RDWR | os.O_CREAT | os.O_TRUNC
    if mode != "prezeroed+fdatasync":
        flags |= os.O_APPEND
    if mode == "O_DSYNC":
        flags |= os.O_DSYNC
    descriptor = os.open(path, flags, 0o600)
    try:
        if mode == "prezeroed+fdatasync":
            os.write(descriptor, bytes(len(LINE) * count))
            os.fsync(descriptor)
        times = []
        for index in range(count):
            started = time.perf_counter()
            if mode == "prezeroed+fdatasync":
                os.pwrite(descriptor, LINE, index * len(LINE))
                os.fdatasync(descriptor)
            else:
                os.write(descriptor, LINE)
                if mode == "fsync":
                    os.fsync(descriptor)
                elif mode == "fdatasync":
                    os.fdatasync(descriptor)
            times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        os.close(descriptor)
        os.remove(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build"))
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    os.makedirs(options.folder, exist_ok=True)
    modes = ["fsync", "fdatasync", "O_DSYNC", "prezeroed+fdatasync"]
    samples = {mode: [] for mode in modes}
    for _ in range(options.rounds):
        for mode in modes:
            samples[mode] += probe(options.folder, mode, options.count)
    for mode in modes:
        ordered = sorted(samples[mode])
        print(f"{mode:>20}: p50 {statistics.median(ordered):.3f} ms, p90 {ordered[int(len(ordered) * 0.9)]:.3f} ms")


if __name__ == "__main__":
    main()
