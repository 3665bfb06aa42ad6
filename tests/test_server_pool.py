"""``sitroom serve`` on PostgreSQL under a burst of concurrent requests while the database is slow
(a table locked for a moment): every request is answered, and the process never holds more
connections than its pool allows (``SITROOM_POOL_SIZE`` + ``SITROOM_POOL_OVERFLOW``); the
requests beyond wait for a free one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from pg_server import POSTGRES_SERVER
from sqlalchemy import create_engine, text
from web_store import example_store_url, wait_until_serving

POOL_SIZE, POOL_OVERFLOW = 2, 1
PATHS = ["/api/documents?source=Voice%20of%20America&since=2021", "/api/documents?limit=5&offset=3",
         "/api/search?q=troops", "/api/claims?speaker=Kirby", "/api/claims?since=2024-10", "/api/places?country=RU",
         "/api/entities?type=PERSON", "/api/figures", "/api/timeline", "/api/status", "/documents", "/claims"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_burst_on_a_slow_database_shares_a_bounded_pool(tmp_path_factory):
    store_url = example_store_url(tmp_path_factory, "postgresql")
    name = f"sitroom-pool-{uuid.uuid4().hex[:8]}"  # the server's connections, by application_name
    port = _free_port()
    env = {**os.environ, "SITROOM_POOL_SIZE": str(POOL_SIZE), "SITROOM_POOL_OVERFLOW": str(POOL_OVERFLOW)}
    server = subprocess.Popen([sys.executable, "-m", "sitroom", "serve", "--db", f"{store_url}&application_name={name}",
                               "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    watcher, locker = create_engine(POSTGRES_SERVER), create_engine(store_url)
    most, done = [0], threading.Event()

    def watch() -> None:
        with watcher.connect() as conn:
            while not done.is_set():
                held = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"),
                                    {"name": name}).scalar_one()
                conn.commit()  # a transaction sees one snapshot of pg_stat_activity
                most[0] = max(most[0], held)
                time.sleep(0.02)

    addresses = [base + PATHS[i % len(PATHS)] for i in range(4 * len(PATHS))]
    try:
        wait_until_serving(base, server)
        assert [_get(base + path) for path in PATHS] == [200] * len(PATHS)  # warmed: the picture computed
        sampler = threading.Thread(target=watch)
        sampler.start()
        with ThreadPoolExecutor(max_workers=len(addresses)) as pool:
            with locker.begin() as lock:  # the database stalls: every request waits on the lock
                lock.execute(text("LOCK TABLE documents IN ACCESS EXCLUSIVE MODE"))
                answers = [pool.submit(_get, address) for address in addresses]
                time.sleep(3)
            statuses = [answer.result() for answer in answers]
    finally:
        done.set()
        server.terminate()
        server.wait(timeout=10)
        watcher.dispose()
        locker.dispose()
    assert statuses == [200] * len(addresses), {s: statuses.count(s) for s in set(statuses)}
    assert most[0] == POOL_SIZE + POOL_OVERFLOW  # the whole pool in use, and never more


def test_pool_settings_are_checked(monkeypatch):
    from sitroom import settings

    monkeypatch.setenv("SITROOM_POOL_SIZE", "0")
    with pytest.raises(ValueError, match="SITROOM_POOL_SIZE"):
        settings.pool_size()
    monkeypatch.setenv("SITROOM_POOL_OVERFLOW", "lots")
    with pytest.raises(ValueError, match="SITROOM_POOL_OVERFLOW"):
        settings.pool_overflow()
