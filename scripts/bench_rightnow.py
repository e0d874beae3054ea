#!/usr/bin/env python
"""Benchmark of plans.rightnow.access_at: 35,000 category evaluations
(5,000 youth x 7 categories, a realistic mix). Run: .venv/bin/python scripts/bench_rightnow.py"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import time as clock
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from plans.rightnow import RestrictionSpec, RuleSpec, WindowSpec, access_at

tz = ZoneInfo("America/New_York")
moment = datetime(2026, 11, 27, 21, 15, tzinfo=tz)  # Friday evening
keys = ["social", "messaging", "browsing", "gaming", "video", "phone", "computers"]
evenings = WindowSpec(frozenset(range(5)), time(16), time(20))
weekend = WindowSpec(frozenset({4, 5}), time(20), time(1))
youth = []
for n in range(5000):
    rules = []
    for i, key in enumerate(keys):
        kind = (n + i) % 4
        windows = () if kind < 2 else ((evenings, weekend) if kind == 2 else (evenings,))
        rules.append(
            RuleSpec(
                key,
                key.title(),
                supervised=kind == 1,
                windows=windows,
                daily_limit_minutes=60 if kind == 3 else None,
            )
        )
    restrictions = []
    if n % 5 == 0:  # one youth in five has a restriction (some now, some soon)
        start = moment + timedelta(hours=(n % 50) - 24)
        restrictions.append(
            RestrictionSpec(
                None if n % 10 == 0 else frozenset({"social", "gaming"}),
                start,
                start + timedelta(days=2),
                "Fictional",
                n % 3 == 0,
                n,
            )
        )
    youth.append((rules, restrictions))
for label in ("cold", "warm", "warm", "warm", "warm"):
    t0 = clock.perf_counter()
    count = sum(len(access_at(r, x, moment, tz)) for r, x in youth)
    print(f"{label}: {count} evaluations in {clock.perf_counter() - t0:.3f} s")
