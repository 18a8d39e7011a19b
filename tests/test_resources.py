"""relucli.resources: the memory a run may use (machine, cgroup, ulimit), the time
budget before a run and during it."""

from __future__ import annotations

import math
import time

import pytest

from relucli import resources
from relucli.commands.common import check_run
from relucli.errors import UsageError
from relucli.sim.costs import Cost

GiB = 1 << 30


def fake_root(tmp_path, meminfo_kib=None, cgroup_line=None, files=None):
    (tmp_path / "proc/self").mkdir(parents=True)
    if meminfo_kib is not None:
        (tmp_path / "proc/meminfo").write_text(
            f"MemTotal:       99999999 kB\nMemAvailable:   {meminfo_kib} kB\n")
    if cgroup_line is not None:
        (tmp_path / "proc/self/cgroup").write_text(cgroup_line + "\n")
    for name, text in (files or {}).items():
        path = tmp_path / "sys/fs/cgroup" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(tmp_path)


def test_meminfo_alone_gives_mem_available(tmp_path):
    assert resources.available_memory(fake_root(tmp_path, meminfo_kib=4 * 1024 * 1024)) == 4 * GiB


def test_a_cgroup_v2_limit_below_the_machine_wins(tmp_path):
    root = fake_root(tmp_path, meminfo_kib=16 * 1024 * 1024, cgroup_line="0::/job/42",
                     files={"job/42/memory.max": str(2 * GiB),
                            "job/42/memory.current": str(GiB // 2)})
    assert resources.available_memory(root) == 2 * GiB - GiB // 2


def test_a_cgroup_v2_without_a_limit_leaves_the_machine(tmp_path):
    root = fake_root(tmp_path, meminfo_kib=1024 * 1024, cgroup_line="0::/",
                     files={"memory.max": "max", "memory.current": "123"})
    assert resources.available_memory(root) == GiB


def test_a_cgroup_v1_limit_is_read_and_its_no_limit_value_ignored(tmp_path):
    limited = fake_root(tmp_path / "a", meminfo_kib=8 * 1024 * 1024,
                        cgroup_line="4:memory:/docker/abc",
                        files={"memory/docker/abc/memory.limit_in_bytes": str(3 * GiB),
                               "memory/docker/abc/memory.usage_in_bytes": str(GiB)})
    assert resources.available_memory(limited) == 2 * GiB
    unlimited = fake_root(tmp_path / "b", meminfo_kib=1024 * 1024,
                          cgroup_line="4:memory:/",
                          files={"memory/memory.limit_in_bytes": "9223372036854771712"})
    assert resources.available_memory(unlimited) == GiB


def test_nothing_known_is_none(tmp_path):
    assert resources.available_memory(fake_root(tmp_path)) is None


def test_check_memory_names_both_figures(monkeypatch):
    monkeypatch.setattr(resources, "available_memory", lambda root="/": GiB)
    resources.check_memory(GiB // 2, "this")
    with pytest.raises(UsageError, match=r"this would need about 2\.0 GiB of memory; "
                                         r"1\.0 GiB is available"):
        resources.check_memory(2 * GiB, "this")


def test_check_seconds_suggests_a_budget_or_smaller_sizes():
    resources.check_seconds(599, "x", 600)
    with pytest.raises(UsageError, match=r"about 2\.0 h here, over the 10 min budget; "
                                         r"to run it anyway give --max-seconds 14400"):
        resources.check_seconds(7200, "x", 600)
    with pytest.raises(UsageError, match="about 3 years here.*use smaller sizes"):
        resources.check_seconds(1e8, "x", 600)
    resources.check_seconds(1e8, "x", math.inf)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan])
def test_max_seconds_must_be_positive(bad):
    with pytest.raises(UsageError, match="--max-seconds must be a positive number"):
        resources.check_max_seconds(bad)


def test_time_limit_stops_a_run_that_outlives_it():
    start = time.monotonic()
    with pytest.raises(resources.OverBudget, match=r"stopped after under a second, the "
                                                   r"--max-seconds budget"):
        with resources.time_limit(0.2, 0.1):
            while time.monotonic() - start < 5:
                pass
    assert time.monotonic() - start < 1


def test_time_limit_leaves_a_short_run_alone_and_disarms():
    import signal

    with resources.time_limit(5, 0.1):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_long_run_is_announced_unless_quiet(capsys, monkeypatch):
    monkeypatch.setattr(resources, "available_memory", lambda root="/": 64 * GiB)
    long = Cost(seconds=120, bytes=GiB, work=1e9, unit="samples")
    check_run(long, "the unit model's run", 600, quiet=False)
    err = capsys.readouterr().err
    assert err == ("relu: note: the unit model's run (1e9 samples) should take about 2 min "
                   "here and 1.0 GiB of memory; Ctrl-C stops it\n")
    check_run(long, "the unit model's run", 600, quiet=True)
    assert capsys.readouterr().err == ""
    with pytest.raises(UsageError, match="over the 60 s budget; to run it anyway give --max-seconds 300"):
        check_run(long, "the unit model's run", 60, quiet=True)


@pytest.mark.parametrize("seconds, text", [(0.5, "under a second"), (45, "45 s"),
                                           (600, "10 min"), (7200, "2.0 h"),
                                           (5 * 86400, "5 days"), (math.inf, "forever")])
def test_human_seconds(seconds, text):
    assert resources.human_seconds(seconds) == text


@pytest.mark.parametrize("budget", [1e9, 1e12, 1e300, math.inf])
def test_budgets_beyond_what_a_timer_holds_are_no_budget(budget):
    import signal

    with resources.time_limit(budget, 1.0):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
