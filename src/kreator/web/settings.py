"""What a running web app is configured with: where it listens, which hosts it answers, limits."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, field

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
ENV = "KREATOR_SERVE_SETTINGS"
"""How ``kreator serve --workers N`` hands one set of settings (and one CSRF secret) to every
worker process."""
MB = 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    """Settings for :func:`kreator.web.create_app`.

    ``allowed_hosts`` is the Host-header allow-list (DNS-rebinding defence): a request naming
    any other host gets 400. ``max_upload_bytes`` bounds uploads (``/upload``,
    ``/api/v1/import``); ``max_body_bytes`` bounds every other request body. ``db`` is the
    ledger database (a SQLite path or a SQLAlchemy URL); ``None`` uses the ledger's default.
    ``secret`` signs CSRF tokens only while no ledger database exists yet (a fresh random one
    per process unless given); once it exists, the key kept in the database signs them, the
    same in every process and after a restart (:func:`kreator.web.security.csrf_secret`).
    ``cards_dir`` is the folder of fitted cards (``kreator serve --cards-dir``): the cards page
    lists its ``*.toml`` cards, and a fit in the browser is saved there; ``None``: no folder.
    ``threads`` is how many requests one worker process runs at once (its thread pool; more
    wait their turn): it bounds a worker's memory when it serves many connections, e.g. after
    another worker died (docs/reliability.md).
    """

    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    db: str | None = None
    max_upload_bytes: int = 20 * MB
    max_body_bytes: int = 1 * MB
    default_card: str = "default"
    cards_dir: str | None = None
    threads: int = 8
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    def with_host(self, host: str) -> WebSettings:
        """These settings, also answering to ``host`` (the address ``kreator serve`` binds)."""
        from dataclasses import replace

        name = host.strip("[]").lower()
        if name in ("0.0.0.0", "::", "") or name in self.allowed_hosts:
            return self
        return replace(self, allowed_hosts=(*self.allowed_hosts, name))

    def to_env(self) -> None:
        """Put these settings in the environment, for worker processes (see :func:`from_env`)."""
        data = {**asdict(self), "secret": self.secret.hex()}
        os.environ[ENV] = json.dumps(data)


def from_env() -> WebSettings:
    """The settings :meth:`WebSettings.to_env` put in the environment."""
    data = json.loads(os.environ[ENV])
    return WebSettings(**{**data, "allowed_hosts": tuple(data["allowed_hosts"]),
                          "secret": bytes.fromhex(data["secret"])})
