"""Benchmarks for Redress: `make bench` runs them and writes JSON results.

Speed is measured here, never in the test suite. Each benchmark builds its data in a fresh
database (SQLite file under var/bench/, or the database named by BENCH_DATABASE_URL), times
repeated operations with time.perf_counter, and reports median and 95th percentile.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
OUT_DIR = ROOT / "var" / "bench"
OUT_DIR.mkdir(parents=True, exist_ok=True)
db_file = OUT_DIR / "bench.sqlite3"
if "BENCH_DATABASE_URL" in os.environ:
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    db_file.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "runs": repeat,
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 3),
        "max_ms": round(samples[-1], 3),
    }


def bench_audit(results: dict[str, object]) -> None:
    from redress.audit.services import audit_record
    from redress.audit.verify import verify_chain

    def append() -> None:
        with transaction.atomic():
            audit_record(actor=None, action="bench.event", new={"field": "value"}, reason="benchmark")

    results["audit_append"] = timed(append, 2000)
    start = time.perf_counter()
    outcome = verify_chain()
    elapsed = time.perf_counter() - start
    results["audit_verify"] = {
        "events": outcome.checked,
        "ok": outcome.ok,
        "events_per_second": round(outcome.checked / elapsed),
    }


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    results: dict[str, object] = {"database": connection.vendor}
    bench_audit(results)
    import bench.scenarios as scenarios

    scenarios.run_all(results, timed)
    out = OUT_DIR / f"results-{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
