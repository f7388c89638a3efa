"""The workers' garbage collection between requests (akhbar/edge/garbage.py, gunicorn_conf hooks)."""

import gc
import weakref

import pytest

from akhbar.edge import garbage, gunicorn_conf


@pytest.fixture
def collector():
    """Restore the collector's thresholds and state whatever a test does."""
    thresholds, was_enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.set_threshold(*thresholds)
    (gc.enable if was_enabled else gc.disable)()


class Node:
    def __init__(self):
        self.me = self  # a reference cycle: only the collector frees it


def _young_garbage(count):
    """``count`` unreachable cycles; a weak reference to one of them."""
    nodes = [Node() for _ in range(count)]
    probe = weakref.ref(nodes[0])
    del nodes
    return probe


def test_worker_threshold_is_a_safety_net(collector, monkeypatch):
    monkeypatch.delenv("AKHBAR_GC_BETWEEN_REQUESTS", raising=False)
    garbage.configure_worker()
    assert gc.get_threshold() == (garbage.AUTOMATIC_THRESHOLD, *garbage.OLDER_THRESHOLDS)


def test_cycles_left_by_a_request_are_collected_after_the_response(collector, monkeypatch):
    monkeypatch.delenv("AKHBAR_GC_BETWEEN_REQUESTS", raising=False)
    gc.collect()
    gc.set_threshold(10**9)  # nothing collects on its own during the test
    probe = _young_garbage(garbage.YOUNG_THRESHOLD * 2)
    assert probe() is not None  # a cycle: still there after its last reference went
    assert garbage.collect_after_response() == 0
    assert probe() is None
    assert gc.get_count()[0] <= garbage.YOUNG_THRESHOLD


def test_below_the_threshold_nothing_is_collected(collector, monkeypatch):
    monkeypatch.delenv("AKHBAR_GC_BETWEEN_REQUESTS", raising=False)
    gc.collect()
    gc.set_threshold(10**9)
    probe = _young_garbage(3)
    assert garbage.collect_after_response() is None
    assert probe() is not None
    gc.collect()
    assert probe() is None


def test_older_generations_follow_the_younger_collections(collector, monkeypatch):
    monkeypatch.delenv("AKHBAR_GC_BETWEEN_REQUESTS", raising=False)
    gc.collect()
    gc.set_threshold(10**9)
    collected = []
    first, second = garbage.OLDER_THRESHOLDS
    # generation 1 every (first + 1) calls; generation 2 once generation 1 was collected `second`
    # times, at the next call that would have collected generation 1
    last = (first + 1) * second + first
    for _ in range(last + 1):
        _young_garbage(garbage.YOUNG_THRESHOLD + 50)
        collected.append(garbage.collect_after_response())
    assert collected[:first] == [0] * first
    assert collected[first] == 1  # the 11th: generation 1 had been counted ten times
    assert collected.count(1) == second and collected.count(2) == 1 and collected[last] == 2


@pytest.mark.parametrize("value", ["0", "off", "false"])
def test_switched_off_keeps_cpythons_defaults(collector, monkeypatch, value):
    monkeypatch.setenv("AKHBAR_GC_BETWEEN_REQUESTS", value)
    gc.set_threshold(700, 10, 10)
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    garbage.freeze_before_fork()
    garbage.configure_worker()
    _young_garbage(garbage.YOUNG_THRESHOLD * 2)
    assert garbage.collect_after_response() is None
    assert gc.get_threshold() == (700, 10, 10) and not frozen


def test_disabled_collector_is_left_alone(collector, monkeypatch):
    monkeypatch.delenv("AKHBAR_GC_BETWEEN_REQUESTS", raising=False)
    gc.disable()
    _young_garbage(garbage.YOUNG_THRESHOLD * 2)
    assert garbage.collect_after_response() is None


def test_gunicorn_hooks_call_the_policy(collector, monkeypatch):
    monkeypatch.delenv("AKHBAR_GC_BETWEEN_REQUESTS", raising=False)
    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    gunicorn_conf.pre_fork(None, None)
    gunicorn_conf.post_fork(None, None)
    assert calls == ["freeze"]
    assert gc.get_threshold()[0] == garbage.AUTOMATIC_THRESHOLD
    gc.collect()
    probe = _young_garbage(garbage.YOUNG_THRESHOLD * 2)
    gunicorn_conf.post_request(None, None, {}, None)
    assert probe() is None
