"""The serving socket: accepted connections get TCP_NODELAY (no ~40 ms delayed-ACK stall on
kept-alive connections), through the same asyncio path uvicorn uses."""

from __future__ import annotations

import asyncio
import socket

from kreator.cli.serve import listen


def nodelay_of_accepted(sock: socket.socket) -> int:
    """TCP_NODELAY on the first connection asyncio accepts on ``sock`` (as uvicorn serves)."""
    port = sock.getsockname()[1]
    seen: list[int] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            conn = transport.get_extra_info("socket")
            seen.append(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(100):
                if seen:
                    break
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(main())
    assert seen, "no connection was accepted"
    return seen[0]


def test_accepted_connections_have_tcp_nodelay() -> None:
    sock = listen("127.0.0.1", 0)
    assert sock.proto == socket.IPPROTO_TCP
    assert nodelay_of_accepted(sock) != 0, "TCP_NODELAY must be on for accepted connections"


def test_a_socket_without_the_protocol_would_not_get_it() -> None:
    """The control: proto 0 (what serve used to create) leaves Nagle on in asyncio."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.bind(("127.0.0.1", 0))
    raw.listen(8)
    assert nodelay_of_accepted(raw) == 0
