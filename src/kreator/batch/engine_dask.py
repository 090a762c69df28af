"""``--engine dask``: the same scoring, spread over a Dask cluster.

Parquet becomes a Dask DataFrame (``read_parquet``, a partition per row group) and
``map_partitions`` runs :func:`kreator.batch.table.score_part` (the function the local engine
runs) on every partition, with the partition's row offset so rows keep their input numbers.
CSV and JSON Lines are split into line-aligned byte ranges (:mod:`kreator.batch.blocks`) that
workers parse with the local engine's parser, so a malformed line is a reject, not a failure.
Each partition returns its scored rows and rejects as Arrow IPC bytes, so types come back
exactly; the client writes them in partition order to one output file, keeping at most a few
partitions in flight. Every row is scored on its own (closed form, or Monte Carlo with draws
shared by all rows), so the output is identical to the local engine's for any partitioning.

Without ``--scheduler`` a local cluster is started for the run and closed after it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from kreator.batch.blocks import Block, first_lines, split
from kreator.batch.run import Part, line_rejects
from kreator.batch.table import Plan, score_part
from kreator.core.errors import InputFileError

WINDOW = 4
"""Partitions in flight per worker."""


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _unipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(pa.BufferReader(data)).read_all()


def score_partition(df: Any, plan: Plan, offsets: list[int],
                    partition_info: dict[str, Any] | None = None) -> Any:
    """One partition (pandas) -> a one-row frame of (scored IPC, rejects IPC, rows read)."""
    import pandas as pd

    number = partition_info["number"] if partition_info else 0
    table = pa.Table.from_pandas(df, preserve_index=False)
    scored, rejects = score_part(table, plan, offsets[number])
    return pd.DataFrame({"scored": [_ipc(scored)], "rejects": [_ipc(rejects)],
                         "rows": [len(df)]})


def frame(path: Path, columns: list[str]) -> Any:
    """A Parquet input as a Dask DataFrame of the wanted columns, a partition per row group
    (bounded memory). CSV and JSON Lines are read by blocks instead (:mod:`kreator.batch.blocks`)."""
    import dask.dataframe as dd

    return dd.read_parquet(str(path), columns=columns, dtype_backend="pyarrow",
                           split_row_groups=True)


def score_block(block: Block, plan: Plan, first_row: int, first_line: int) -> Any:
    """One block of a text file -> the same one-row frame as :func:`score_partition`."""
    import pandas as pd

    table, lines = block.read(plan.cmap.columns, first_line)
    scored, rejects = score_part(table, plan, first_row)
    if lines:
        rejects = pa.concat_tables([line_rejects(lines), rejects])
    return pd.DataFrame({"scored": [_ipc(scored)], "rejects": [_ipc(rejects)],
                         "rows": [table.num_rows + len(lines)]})


def parts(path: Path, fmt: str, plan: Plan, batch_size: int,
          scheduler: str | None, ddf: Any = None) -> Iterator[Part]:
    """Scored parts in input order, computed on the cluster."""
    from dask.distributed import Client

    # A lost scheduler is reported once, below, not as tracebacks logged by the client's own
    # thread (which may log after this returns, so the level is not put back).
    for name in ("distributed", "distributed.client", "distributed.core", "distributed.comm"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    client, cluster = _connect(scheduler)
    try:
        if ddf is None and fmt != "parquet":
            tasks = _block_tasks(client, path, fmt, plan, _blocksize(batch_size))
        else:
            tasks = _frame_tasks(frame(path, plan.cmap.columns) if ddf is None else ddf, plan)
        yield from _gather(client, tasks, WINDOW * max(1, _workers(client)))
    except _lost() as exc:
        raise InputFileError(f"the Dask scheduler was lost mid-run ({type(exc).__name__}: "
                             f"{str(exc)[:200]}); nothing was written under the output name.",
                             field="--scheduler", fix="check the scheduler is running, then run "
                             "the batch again.") from None
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise InputFileError(f"the Dask engine could not read it ({str(exc)[:200]}).",
                             where=str(path), fix="check the file, or run with --engine local "
                             "to get bad lines as rejects.", key="dask_read",
                             params={"detail": str(exc)[:200]}) from None
    finally:
        assert isinstance(client, Client)
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


MIN_BLOCK = 1 << 20
"""Bytes: CSV and JSON Lines blocks are at least this large (batch size x 64 bytes otherwise)."""


def _blocksize(batch_size: int) -> int:
    return max(MIN_BLOCK, batch_size * 64)


def _frame_tasks(ddf: Any, plan: Plan) -> list[Any]:
    import pandas as pd

    lengths = [int(x) for x in ddf.map_partitions(len).compute()]
    offsets = [sum(lengths[:i]) for i in range(len(lengths))]
    meta = pd.DataFrame({"scored": pd.Series(dtype=object), "rejects": pd.Series(dtype=object),
                         "rows": pd.Series(dtype="int64")})
    return list(ddf.map_partitions(score_partition, plan, offsets, meta=meta).to_delayed())


def _block_tasks(client: Any, path: Path, fmt: str, plan: Plan, size: int) -> list[Any]:
    """Count every block's rows and lines on the cluster, then one scoring task per block."""
    from dask.delayed import delayed

    chunks = split(path, fmt, size)
    counts = client.gather(client.map(Block.count, chunks, columns=plan.cmap.columns, pure=False))
    rows = [r for r, _ in counts]
    firsts = first_lines(chunks[0].header if chunks else b"", [n for _, n in counts])
    return [delayed(score_block, pure=False)(b, plan, sum(rows[:i]), firsts[i])
            for i, b in enumerate(chunks)]


def _gather(client: Any, delayed: list[Any], window: int) -> Iterator[Part]:
    futures = [client.compute(d) for d in delayed[:window]]
    nxt = len(futures)
    for i in range(len(delayed)):
        df = futures[i].result()
        futures[i] = None
        if nxt < len(delayed):
            futures.append(client.compute(delayed[nxt]))
            nxt += 1
        for _, row in df.iterrows():
            yield _unipc(row["scored"]), _unipc(row["rejects"]), int(row["rows"])


def _workers(client: Any) -> int:
    try:
        return len(client.scheduler_info().get("workers", {}))
    except Exception:  # an unreachable scheduler shows up on the first compute instead
        return 1


def _lost() -> tuple[type[BaseException], ...]:
    """What a Dask client raises when its scheduler goes away during a run."""
    from asyncio import CancelledError

    from distributed.client import FutureCancelledError
    from distributed.comm.core import CommClosedError

    return CommClosedError, FutureCancelledError, CancelledError, TimeoutError


def _connect(scheduler: str | None) -> tuple[Any, Any]:
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise InputFileError(f"cannot reach the Dask scheduler ({exc}).", field="--scheduler",
                                 fix="check the address, e.g. tcp://10.0.0.5:8786.",
                                 key="dask_scheduler", params={"detail": str(exc)}) from None
    cluster = LocalCluster(n_workers=2, threads_per_worker=1,  # type: ignore[no-untyped-call]
                           dashboard_address=None)
    return Client(cluster), cluster  # type: ignore[no-untyped-call]
