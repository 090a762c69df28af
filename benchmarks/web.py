"""Throughput and latency of ``POST /api/v1/estimate`` on loopback, against a floor.

The floor is a minimal FastAPI app whose endpoint validates the same request model
(:class:`kreator.web.schemas.EstimateRequest`) and returns a constant: what FastAPI, uvicorn
and pydantic cost before Kreator does any work. Both run the same way (one uvicorn process,
no access log) and are driven in the same run by the same client: ``--connections`` keep-alive
connections (default 50), each sending the next request as soon as its answer is in, for
``--seconds`` (default 10) after a one-second warm-up. Bodies cycle through 32 different
creators. Kreator caches no answers: every request is a full 10,000-draw estimate of its own
creator; requests that arrive together are scored in one core call (kreator.web.batcher), and
the server reports how many creators its batches held.

Both servers listen on a socket made by ``kreator serve`` itself (``kreator.cli.serve.listen``,
served by ``kreator.cli.serve.run``), so the benchmark measures what users run. A second round
uses **one** connection: every request after the first rides a kept-alive connection, where a
socket without TCP_NODELAY waits ~40 ms for the delayed ACK. ``--socket plain`` makes the
listening socket the way ``kreator serve`` did before that fix (no IPPROTO_TCP), for the
before/after figures.

A third pair of rounds sends ``Authorization: Bearer TOKEN`` to a Kreator server whose
ledger has a user (so every request passes the sign-in gate, kreator.web.auth), against the
floor app checking the token the same way (the same database lookup,
kreator.ledger.sessions.token_account, in a FastAPI dependency; 401 when it fails). Both use
a fresh SQLite ledger in a temporary folder: the benchmark never reads your own ledger.

    python benchmarks/web.py [--seconds 10] [--connections 50] [--socket fixed|plain] [--json]

Prints requests/s, p50 and p99 latency for each, the ratio Kreator / floor (goal >= 0.5), the
one-connection latency of both, and, for scale, how many estimates a second the model itself
makes in-process with no HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import Request

from kreator.web.schemas import EstimateRequest

PATH = "/api/v1/estimate"


def floor_app(db: str | None = None) -> Any:
    """The floor; with ``db``, every request must carry a token of a user in that ledger."""
    from fastapi import Depends, FastAPI, HTTPException

    constant = {"total": {"monthly": {"p10": 0.0, "p50": 0.0, "p90": 0.0, "mean": 0.0}}}
    deps = []
    if db is not None:
        from kreator.ledger import open_ledger
        from kreator.ledger.sessions import token_account

        ledger = open_ledger(db)

        def check(request: Request) -> None:  # sync: run in the thread pool, as the gate does
            value = request.headers.get("authorization", "")
            if not value.startswith("Bearer ") or token_account(ledger, value[7:]) is None:
                raise HTTPException(401)

        deps = [Depends(check)]
    app = FastAPI(dependencies=deps)

    @app.post(PATH)
    def estimate(req: EstimateRequest) -> dict[str, Any]:
        return constant

    return app


def serve(which: str, port: int, plain: bool, db: str) -> None:
    """Run one server in this process (the benchmark starts two of these), on the listening
    socket ``kreator serve`` makes (``plain``: the way it made it before the TCP_NODELAY fix)."""
    from kreator.cli.serve import listen, run
    from kreator.web import WebSettings, create_app

    app = (create_app(WebSettings(db=db)) if which == "kreator"
           else floor_app(db if which == "floor-token" else None))
    if plain:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(2048)
    else:
        sock = listen("127.0.0.1", port)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises measure()'s SIGINT
        run(app, sock)
    batcher = getattr(app.state, "batcher", None)
    if batcher is not None:  # read by measure() once the server has stopped
        print(json.dumps({"batches": batcher.batches, "creators": batcher.creators,
                          "largest": batcher.largest}), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bodies(n: int = 32) -> list[bytes]:
    out = []
    for i in range(n):
        profile = {"followers": 1_000 + 300 * i, "views_30d": 20_000 + 4_000 * i,
                   "videos_30d": 12, "likes_30d": 2_000 + 50 * i, "comments_30d": 150,
                   "shares_30d": 90, "niche": "beauty", "audience": {"US": 0.6, "GB": 0.2},
                   "lives_per_month": 4, "sponsored_posts_per_month": 1,
                   "affiliate_sales_per_month": 8}
        out.append(json.dumps({"profile": profile}).encode())
    return out


def request_bytes(port: int, body: bytes, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def worker(port: int, reqs: list[bytes], start: int, until: float, warm: float,
                 lat: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = start
    while (now := time.perf_counter()) < until:
        writer.write(reqs[i % len(reqs)])
        i += 1
        status = await read_response(reader)
        if now >= warm:
            lat.append(time.perf_counter() - now)
            if status != 200:
                errors.append(status)
    writer.close()


async def load(port: int, seconds: float, connections: int,
               token: str | None = None) -> dict[str, float]:
    reqs = [request_bytes(port, b, token) for b in bodies()]
    warm = time.perf_counter() + 1.0
    until = warm + seconds
    lat: list[float] = []
    errors: list[int] = []
    await asyncio.gather(*(worker(port, reqs, i, until, warm, lat, errors)
                           for i in range(connections)))
    lat.sort()
    q = statistics.quantiles(lat, n=100)
    return {"requests": len(lat), "rps": len(lat) / seconds, "p50_ms": q[49] * 1000,
            "p99_ms": q[98] * 1000, "errors": len(errors)}


def start(which: str, plain: bool, db: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", which, "--port", str(port),
                             "--socket", "plain" if plain else "fixed", "--db", db],
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE)
    deadline = time.monotonic() + 90  # a busy machine starts Python slowly
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"the {which} server did not start")


def measure(which: str, seconds: float, connections: int, plain: bool, db: str,
            token: str | None = None) -> dict[str, float]:
    proc, port = start(which, plain, db)
    try:
        result = asyncio.run(load(port, seconds, connections, token))
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=10)
    lines = out.decode().strip().splitlines()
    if lines and lines[-1].startswith("{"):
        stats = json.loads(lines[-1])
        result["mean_batch"] = stats["creators"] / max(1, stats["batches"])
        result["largest_batch"] = stats["largest"]
    return result


def team(db: str) -> str:
    """A ledger with one user, and that user's API token."""
    from kreator.ledger import accounts, open_ledger

    with open_ledger(db) as ledger:
        accounts.add_user(ledger, "bench", "admin", "a long passphrase")
        return accounts.create_token(ledger, "bench")[1]


def core_only(seconds: float = 3.0) -> float:
    """Estimates a second in this process, one thread, no HTTP: the model's own cost."""
    from kreator.web import services

    reqs = [EstimateRequest.model_validate_json(b) for b in bodies()]
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        r = reqs[n % len(reqs)]
        services.run_estimate(r.profile, r.card).to_dict()
        n += 1
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--socket", choices=("fixed", "plain"), default="fixed",
                    help="plain: the listening socket as kreator serve made it before the "
                    "TCP_NODELAY fix")
    ap.add_argument("--serve", choices=("kreator", "floor", "floor-token"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    plain = args.socket == "plain"
    if args.serve:
        serve(args.serve, args.port, plain, args.db)
        return
    with tempfile.TemporaryDirectory(prefix="kreator-bench-") as tmp:
        open_db, team_db = str(Path(tmp) / "open.sqlite"), str(Path(tmp) / "team.sqlite")
        token = team(team_db)
        floor = measure("floor", args.seconds, args.connections, plain, open_db)
        kreator = measure("kreator", args.seconds, args.connections, plain, open_db)
        one = {name: measure(name, args.seconds, 1, plain, open_db)
               for name in ("floor", "kreator")}
        floor_t = measure("floor-token", args.seconds, args.connections, plain, team_db, token)
        kreator_t = measure("kreator", args.seconds, args.connections, plain, team_db, token)
    ratio = kreator["rps"] / floor["rps"]
    ratio_t = kreator_t["rps"] / floor_t["rps"]
    core = core_only()
    if args.json:
        print(json.dumps({"socket": args.socket, "floor": floor, "kreator": kreator,
                          "ratio": ratio, "one_connection": one, "floor_token": floor_t,
                          "kreator_token": kreator_t, "ratio_token": ratio_t,
                          "core_estimates_per_s": core}, indent=2))
        return
    print(f"POST {PATH}, {args.connections} connections, {args.seconds:g} s each, loopback, "
          f"{os.cpu_count()} CPUs, socket {args.socket}")
    for name, r in (("floor (validate, constant)", floor), ("kreator estimate", kreator)):
        if r["errors"]:
            raise SystemExit(f"{name}: {r['errors']:.0f} answers were not 200")
        print(f"  {name:28} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.1f} ms   "
              f"p99 {r['p99_ms']:6.1f} ms   errors {r['errors']:.0f}")
    if "mean_batch" in kreator:
        print(f"  creators per core call: {kreator['mean_batch']:.1f} on average, "
              f"{kreator['largest_batch']:.0f} at most (warm-up included)")
    print(f"  ratio kreator/floor: {ratio:.2f} (goal >= 0.50)")
    print("with a user in the ledger, every request sending an API token:")
    for name, r in (("floor (token checked)", floor_t), ("kreator estimate (token)", kreator_t)):
        if r["errors"]:
            raise SystemExit(f"{name}: {r['errors']:.0f} answers were not 200")
        print(f"  {name:28} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.1f} ms   "
              f"p99 {r['p99_ms']:6.1f} ms   errors {r['errors']:.0f}")
    print(f"  ratio kreator/floor with a token: {ratio_t:.2f} (goal >= 0.50)")
    print("one kept-alive connection, each request sent when the last answer is in:")
    for name, r in one.items():
        print(f"  {name:28} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.1f} ms   "
              f"p99 {r['p99_ms']:6.1f} ms   errors {r['errors']:.0f}")
    print(f"  for scale: the estimate alone, in-process, one thread: {core:.0f}/s "
          f"({1000 / core:.2f} ms each, 10,000 Monte Carlo draws)")


if __name__ == "__main__":
    main()
