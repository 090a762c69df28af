"""Sustained load on ``kreator serve``: no 5xx, no lost acknowledged write, flat memory.

Starts ``kreator serve --workers W --db DB`` (the database is emptied first: give one for this
only) and drives it over loopback with ``--connections`` keep-alive connections for
``--seconds`` after a warm-up (at least ``--warm`` seconds, then until every worker serves
with a steady RSS, see ``warm_up``). Each connection sends the next request as soon as the
last answer is in, opens a new connection every 3-10 requests (so every worker gets
connections), and mixes (by weight) ``POST /api/v1/estimate`` 3, ``/api/v1/advise`` 1,
``/api/v1/growth`` 1, ``/api/v1/import`` 1 (a TikTok Studio zip or the personal export from
tests/data, read and answered, nothing stored) and ``/api/v1/ledger/events`` 4 (a new entry,
a key of its own, one of five creators). With ``--kill-worker`` one worker is SIGKILLed at 40 %
of the run and the supervisor starts another; requests on its connections fail (not
acknowledged) and are sent again on a new connection (a write with the same key).

Reports requests per second per route, p50/p99 latency, status codes (every 5xx, and
connections lost), each worker's RSS after the warm-up (start), at the middle and at the end
(the growth start -> end of the workers that lived through the run), and, after the server has
stopped, whether every acknowledged write (every 201, or 200 for a write sent again) is in
the database.

    python benchmarks/soak.py --seconds 60 --workers 2 --kill-worker \\
        --db postgresql+psycopg://USER:PW@127.0.0.1:55432/DB
    python benchmarks/soak.py --seconds 60 --workers 1 --db /tmp/soak.sqlite

Goals: no 5xx, no lost acknowledged write, RSS growth under 10 % (exit 1 if one is missed).
tests/test_soak.py runs the same code for a few seconds on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scratch_db import empty
from soak_server import Server, stored_keys

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "importers"
UPLOADS = [DATA / "tiktok_studio" / "Followers_2026-04-21_1779285792_sample_creator_4k.zip",
           DATA / "tiktok_studio" / "Content_2026-04-21_1779285792_sample_creator_4k.zip",
           DATA / "personal_export" / "user_data_tiktok.json"]
WEIGHTS = {"estimate": 3, "advise": 1, "growth": 1, "import": 1, "ledger": 4}
CREATORS = 5
ANSWER_LIMIT_S = 60  # no answer by then: counted with the connections lost


@dataclass
class Tally:
    """Everything the connections saw (one per run, shared: asyncio is one thread)."""

    measuring: bool = False
    latency: dict[str, list[float]] = field(default_factory=dict)
    status: dict[str, dict[int, int]] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)  # connection closed or reset mid-request
    seen: dict[str, dict[int, int]] = field(default_factory=dict)  # warm-up included
    acknowledged: list[str] = field(default_factory=list)  # keys answered 201
    samples: dict[str, dict[int, float]] = field(default_factory=dict)  # when -> pid -> MiB
    cpu: dict[str, dict[int, float]] = field(default_factory=dict)  # when -> pid -> CPU s
    killed: int | None = None
    warmup_s: float = 0.0
    done: bool = False
    serial: itertools.count[int] = field(default_factory=itertools.count)


# ------------------------------------------------------------------ requests

def profile(i: int) -> dict[str, Any]:
    return {"followers": 1_000 + 300 * (i % 32), "views_30d": 20_000 + 4_000 * (i % 32),
            "videos_30d": 12, "likes_30d": 2_000 + 50 * (i % 32), "comments_30d": 150,
            "shares_30d": 90, "niche": "beauty", "audience": {"US": 0.6, "GB": 0.2},
            "lives_per_month": 4, "sponsored_posts_per_month": 1, "affiliate_sales_per_month": 8}


def _http(port: int, path: str, body: bytes, ctype: str = "application/json") -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def request(route: str, port: int, i: int, tally: Tally) -> tuple[bytes, str | None]:
    """The bytes of one request on ``route`` and, for a ledger write, its key."""
    if route == "ledger":
        key = f"soak-{next(tally.serial)}"
        body = {"stream": "sponsorship", "amount": f"{i % 997}.{i % 100:02d}", "currency": "USD",
                "date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", "key": key,
                "creator": f"soak-{i % CREATORS}"}
        return _http(port, "/api/v1/ledger/events", json.dumps(body).encode()), key
    if route == "import":
        path = UPLOADS[i % len(UPLOADS)]
        return _http(port, f"/api/v1/import?filename={path.name}", path.read_bytes(),
                     "application/octet-stream"), None
    body = {"profile": profile(i), "seed": i % 1000}
    if route == "growth":
        body["months"] = 12
    return _http(port, f"/api/v1/{route}", json.dumps(body).encode()), None


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in
               (line.partition(b":") for line in head.split(b"\r\n")[1:] if line)}
    if b"content-length" in headers:
        return status, await reader.readexactly(int(headers[b"content-length"]))
    body = b""
    while (size := int((await reader.readline()).strip() or b"0", 16)) > 0:  # chunked
        body += await reader.readexactly(size)
        await reader.readline()
    await reader.readline()
    return status, body


# ------------------------------------------------------------------ load

async def connection(port: int, seed: int, tally: Tally) -> None:
    """Requests one after another; the connection is closed and opened again every 3-10
    requests (as clients do), so the kernel spreads connections over every worker, including
    one started late or restarted. A request whose connection is lost is sent again on a new
    one, as a client would (a ledger write with the same key: added once, whatever happened)."""
    rng = random.Random(seed)
    routes, weights = list(WEIGHTS), list(WEIGHTS.values())
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    i, left = seed * 1_000_003, 0
    pending: tuple[str, bytes, str | None] | None = None
    while not tally.done:
        if pending is None:
            # the first request of connection c is route c (every route is sent at least once)
            first = i == seed * 1_000_003
            route = routes[seed % len(routes)] if first else rng.choices(routes, weights)[0]
            i += 1
            pending = (route, *request(route, port, i, tally))
        route, payload, key = pending
        started = time.perf_counter()
        try:
            if conn is None:
                conn, left = await asyncio.open_connection("127.0.0.1", port), rng.randint(3, 10)
            conn[1].write(payload)
            status, _ = await asyncio.wait_for(read_response(conn[0]), ANSWER_LIMIT_S)
        except (OSError, asyncio.IncompleteReadError, ValueError):  # TimeoutError is an OSError
            if tally.measuring:
                tally.lost[route] = tally.lost.get(route, 0) + 1
            await _drop(conn)
            conn = None
            await asyncio.sleep(0.05)
            continue
        pending = None
        record(tally, route, status, key, time.perf_counter() - started)
        left -= 1
        if left <= 0:
            await _drop(conn)
            conn = None
    await _drop(conn)


def record(tally: Tally, route: str, status: int, key: str | None, seconds: float) -> None:
    if status in (200, 201) and key is not None:  # 200: sent again, it was already in
        tally.acknowledged.append(key)  # counted in the warm-up too: every one must stay
    seen = tally.seen.setdefault(route, {})
    seen[status] = seen.get(status, 0) + 1
    if tally.measuring:
        tally.latency.setdefault(route, []).append(seconds)
        codes = tally.status.setdefault(route, {})
        codes[status] = codes.get(status, 0) + 1


async def _drop(conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None) -> None:
    if conn is not None:
        conn[1].close()
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            await conn[1].wait_closed()


async def monitor(server: Server, warm: float, seconds: float, kill: bool,
                  tally: Tally) -> None:
    """The warm-up, then RSS at the start, middle and end of the run; the kill at 40 %."""
    tally.warmup_s = await warm_up(server, warm)
    tally.measuring = True
    t0 = time.perf_counter()
    tally.samples["start"], tally.cpu["start"] = server.rss(), server.cpu()
    steps: list[tuple[float, str]] = [(0.4, "kill"), (0.5, "middle"), (1.0, "end")]
    for at, what in steps:
        await asyncio.sleep(max(0.0, t0 + at * seconds - time.perf_counter()))
        if what == "kill":
            if kill:
                tally.killed = server.kill_one()
        else:
            tally.samples[what], tally.cpu[what] = server.rss(), server.cpu()
    tally.measuring = False
    tally.done = True


async def warm_up(server: Server, warm: float) -> float:
    """At least ``warm`` seconds of load, then until every worker is serving (used 0.5 CPU s or
    more in the last window of ``warm`` / 2 s, at most 5 s) with its RSS steady (within 2 % over
    that window): a worker that started late has loaded the app and served every route, and its
    threads have their memory. At most 6 x ``warm``. Returns its length."""
    t0, window = time.perf_counter(), min(5.0, warm / 2)
    await asyncio.sleep(warm)
    last, cpu = server.rss(), server.cpu()
    while time.perf_counter() - t0 < 6 * warm:
        await asyncio.sleep(window)
        now, cpu_now = server.rss(), server.cpu()
        if now.keys() == last.keys() == cpu.keys() == cpu_now.keys() and all(
                abs(now[p] / last[p] - 1) < 0.02 and cpu_now[p] - cpu[p] >= 0.1 * window
                for p in now):
            break
        last, cpu = now, cpu_now
    return time.perf_counter() - t0


async def load(server: Server, seconds: float, connections: int, warm: float,
               kill: bool) -> Tally:
    tally = Tally()
    await asyncio.gather(monitor(server, warm, seconds, kill, tally),
                         *(connection(server.port, c, tally) for c in range(connections)))
    return tally


# ------------------------------------------------------------------ one run

def soak(db: str, workers: int = 2, seconds: float = 60, connections: int = 50,
         warm: float = 3.0, kill: bool = False, threads: int | None = None) -> dict[str, Any]:
    """Run the soak once and return its figures (see ``summary``); ``threads``: the server's
    ``--threads`` (None: its default)."""
    empty(db)
    server = Server(db, workers, threads)
    try:
        server.ready()
        idle = server.rss()
        tally = asyncio.run(load(server, seconds, connections, warm, kill))
        replaced = server.replaced(tally.killed)
    finally:
        server.stop()
    stored = stored_keys(db)
    missing = [k for k in tally.acknowledged if k not in stored]
    return {**summary(tally, seconds, workers, idle, replaced, missing, len(stored)),
            "threads": threads}


def _pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def summary(tally: Tally, seconds: float, workers: int, idle: dict[int, float], replaced: bool,
            missing: list[str], stored: int) -> dict[str, Any]:
    routes = {}
    for route in WEIGHTS:
        lat = tally.latency.get(route, [])
        routes[route] = {"requests": len(lat), "rps": round(len(lat) / seconds, 1),
                         "p50_ms": round(_pct(lat, 50), 1), "p99_ms": round(_pct(lat, 99), 1),
                         "status": {str(k): v for k, v in
                                    sorted(tally.status.get(route, {}).items())},
                         "connections_lost": tally.lost.get(route, 0)}
    fives = sum(n for st in tally.seen.values() for code, n in st.items() if code >= 500)
    rss = {when: {str(pid): round(mib, 1) for pid, mib in sample.items()}
           for when, sample in {"before_load": idle, **tally.samples}.items()}
    start, end = tally.samples.get("start", {}), tally.samples.get("end", {})
    growth = {str(pid): round(100 * (end[pid] / start[pid] - 1), 1)
              for pid in start if pid in end}
    return {"workers": workers, "seconds": seconds, "warmup_s": round(tally.warmup_s, 1),
            "routes": routes,
            "total_rps": round(sum(r["rps"] for r in routes.values()), 1),
            "server_errors_5xx": fives, "answers_incl_warmup": {
                route: {str(k): v for k, v in sorted(st.items())}
                for route, st in tally.seen.items()},
            "killed_worker": tally.killed,
            "killed_worker_replaced": replaced, "acknowledged_writes": len(tally.acknowledged),
            "writes_in_database": stored, "lost_acknowledged_writes": len(missing),
            "lost_examples": missing[:5], "rss_mib": rss, "rss_growth_pct": growth,
            "max_rss_growth_pct": max(growth.values(), default=0.0),
            "cpu_s_in_run": _cpu_used(tally)}


def _cpu_used(tally: Tally) -> dict[str, float]:
    """CPU seconds each worker spent between the start and the end sample (a worker started
    during the run: all it used)."""
    start, end = tally.cpu.get("start", {}), tally.cpu.get("end", {})
    return {str(pid): round(t - start.get(pid, 0.0), 1) for pid, t in end.items()}


def goals_missed(fig: dict[str, Any]) -> list[str]:
    missed = []
    if fig["server_errors_5xx"]:
        missed.append(f"{fig['server_errors_5xx']} answers were 5xx")
    if fig["lost_acknowledged_writes"]:
        missed.append(f"{fig['lost_acknowledged_writes']} acknowledged writes are not in the "
                      f"database, e.g. {fig['lost_examples']}")
    if not fig["killed_worker_replaced"]:
        missed.append("the killed worker was not replaced")
    if fig["max_rss_growth_pct"] >= 10:
        missed.append(f"a worker's RSS grew {fig['max_rss_growth_pct']} % (goal < 10 %)")
    return missed


def show(fig: dict[str, Any], db: str, connections: int) -> None:
    where = db.split("@")[-1]
    threads = "" if fig["threads"] is None else f" --threads {fig['threads']}"
    print(f"kreator serve --workers {fig['workers']}{threads} --db {where}: {connections} "
          "connections, "
          f"{fig['seconds']:g} s after a {fig['warmup_s']:g} s warm-up, loopback, "
          f"{os.cpu_count()} CPUs")
    print(f"  {'route':9} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}  status (connections lost)")
    for route, r in fig["routes"].items():
        codes = " ".join(f"{k}:{v}" for k, v in r["status"].items())
        print(f"  {route:9} {r['rps']:7.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f}  {codes} "
              f"({r['connections_lost']})")
    print(f"  all       {fig['total_rps']:7.1f} req/s; 5xx: {fig['server_errors_5xx']}")
    if fig["killed_worker"] is not None:
        print(f"  worker {fig['killed_worker']} SIGKILLed at 40 %; replaced: "
              f"{fig['killed_worker_replaced']}")
    print(f"  acknowledged writes (201): {fig['acknowledged_writes']}, in the database: "
          f"{fig['writes_in_database']}, acknowledged but missing: "
          f"{fig['lost_acknowledged_writes']}")
    for when, sample in fig["rss_mib"].items():
        print(f"  RSS {when:11} " + ", ".join(f"pid {p}: {m:.1f} MiB" for p, m in sample.items()))
    print("  CPU s in the run: " + ", ".join(f"pid {p}: {c:.1f}" for p, c in fig["cpu_s_in_run"].items()))
    print("  RSS growth start -> end: " + ", ".join(
        f"pid {p}: {g:+.1f} %" for p, g in fig["rss_growth_pct"].items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", required=True, help="a SQLite file or a postgresql+psycopg:// URL "
                    "(emptied first: give a database for this only)")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--warm", type=float, default=10.0, help="warm-up seconds, not measured")
    ap.add_argument("--kill-worker", action="store_true",
                    help="SIGKILL one worker at 40 %% of the run (needs --workers >= 2)")
    ap.add_argument("--threads", type=int, default=None,
                    help="kreator serve --threads (requests a worker runs at once; default: "
                    "serve's own)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.kill_worker and args.workers < 2:
        ap.error("--kill-worker needs --workers 2 or more (one worker is the server itself)")
    fig = soak(args.db, args.workers, args.seconds, args.connections, args.warm, args.kill_worker,
               args.threads)
    fig["goals_missed"] = goals_missed(fig)
    if args.json:
        print(json.dumps(fig, indent=2))
    else:
        show(fig, args.db, args.connections)
        print("  goals: " + ("all met" if not fig["goals_missed"] else
                             "MISSED: " + "; ".join(fig["goals_missed"])))
    sys.exit(1 if fig["goals_missed"] else 0)


if __name__ == "__main__":
    main()
