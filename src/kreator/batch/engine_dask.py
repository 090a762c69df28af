"""``--engine dask``: the same scoring, spread over a Dask cluster.

The input becomes a Dask DataFrame (``read_parquet`` / ``read_csv`` / ``read_json``);
``map_partitions`` runs :func:`kreator.batch.table.score_part` (the function the local engine
runs) on every partition, with the partition's row offset so rows keep their input numbers.
Each partition returns its scored rows and rejects as Arrow IPC bytes, so types come back
exactly; the client writes them in partition order to one output file, keeping at most a few
partitions in flight. Every row is scored on its own (closed form, or Monte Carlo with draws
shared by all rows), so the output is identical to the local engine's for any partitioning.

Without ``--scheduler`` a local cluster is started for the run and closed after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from kreator.batch.run import Part
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


def frame(path: Path, fmt: str, columns: list[str], batch_size: int) -> Any:
    """The input as a Dask DataFrame of the wanted columns (text for CSV, like the local reader)."""
    import dask.dataframe as dd

    if fmt == "parquet":
        return dd.read_parquet(str(path), columns=columns, dtype_backend="pyarrow",
                               split_row_groups=True)  # a partition per row group: bounded memory
    blocksize = max(1 << 20, batch_size * 64)
    if fmt == "csv":
        return dd.read_csv(str(path), usecols=columns, dtype=str, keep_default_na=False,
                           na_values=[""], blocksize=blocksize)
    return dd.read_json(str(path), lines=True, blocksize=blocksize, dtype_backend="pyarrow",
                        precise_float=True)[columns]


def parts(path: Path, fmt: str, plan: Plan, batch_size: int,
          scheduler: str | None, ddf: Any = None) -> Iterator[Part]:
    """Scored parts in input order, computed on the cluster."""
    import pandas as pd
    from dask.distributed import Client

    client, cluster = _connect(scheduler)
    try:
        ddf = frame(path, fmt, plan.cmap.columns, batch_size) if ddf is None else ddf
        lengths = [int(x) for x in ddf.map_partitions(len).compute()]
        offsets = [sum(lengths[:i]) for i in range(len(lengths))]
        meta = pd.DataFrame({"scored": pd.Series(dtype=object), "rejects": pd.Series(dtype=object),
                             "rows": pd.Series(dtype="int64")})
        packed = ddf.map_partitions(score_partition, plan, offsets, meta=meta)
        yield from _gather(client, packed.to_delayed(), WINDOW * max(1, _workers(client)))
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise InputFileError(f"the Dask engine could not read it ({str(exc)[:200]}).",
                             where=str(path), fix="check the file, or run with --engine local "
                             "to get bad lines as rejects.") from None
    finally:
        assert isinstance(client, Client)
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


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


def _connect(scheduler: str | None) -> tuple[Any, Any]:
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise InputFileError(f"cannot reach the Dask scheduler ({exc}).", field="--scheduler",
                                 fix="check the address, e.g. tcp://10.0.0.5:8786.") from None
    cluster = LocalCluster(n_workers=2, threads_per_worker=1,  # type: ignore[no-untyped-call]
                           dashboard_address=None)
    return Client(cluster), cluster  # type: ignore[no-untyped-call]
