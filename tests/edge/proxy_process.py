"""Run a real proxy (Debian's nginx or varnishd) on loopback for the duration of a test."""

import contextlib
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def listening(name: str, command: list[str], port: int, timeout: float = 20):
    """Start ``command`` (a foreground server), wait until it accepts connections on ``port``, yield it.

    The wait polls the port (readiness, not a fixed sleep). Skips the test with the server's own
    output when it exits or does not listen within ``timeout`` seconds; terminates it afterwards
    (killed if it has not exited 10 s later).
    """
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode(errors="replace") if proc.poll() is not None else ""
                    pytest.skip(f"{name} did not start: {out[-500:]}")
                time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
