"""bench/http/summarize.py: the paired-rounds table is computed from wrk's own totals."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _summarize():
    spec = importlib.util.spec_from_file_location("bench_summarize", ROOT / "bench" / "http" / "summarize.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wrk(requests: int, seconds: float) -> str:
    rps = requests / seconds
    return (
        "Running 5s test @ http://127.0.0.1/\n  2 threads and 32 connections\n"
        "  Latency Distribution\n     50%   10.00ms\n     90%   20.00ms\n     99%   30.00ms\n"
        f"  {requests} requests in {seconds:.2f}s, 1.00MB read\nRequests/sec:   {rps:.2f}\n"
    )


def test_paired_ratio_is_total_requests_over_total_time(tmp_path, capsys):
    # round 1: akhbar 1000 in 5 s, WordPress 100 in 5 s; round 2: 400 in 5 s and 100 in 5 s
    for r, (a, w) in enumerate([(1000, 100), (400, 100)], 1):
        (tmp_path / f"paired-akhbar-home.{r}.wrk.txt").write_text(_wrk(a, 5.0))
        (tmp_path / f"paired-wordpress-home.{r}.wrk.txt").write_text(_wrk(w, 5.0))
    _summarize().paired(tmp_path)
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("| home"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[:5] == ["home", "2", "140", "20.0", "7.0×"]  # (1400/10) / (200/10)
    assert cells[5] == "4.0–10.0×"


def test_no_paired_rounds_prints_nothing(tmp_path, capsys):
    _summarize().paired(tmp_path)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("text", ["", "skipped (HTTP 500)\n"])
def test_unreadable_round_counts_nothing(tmp_path, text):
    (tmp_path / "x.wrk.txt").write_text(text)
    assert _summarize().totals([tmp_path / "x.wrk.txt"]) == (0, 0)
