"""README command 1 (scripts/crm.py up) is idempotent: a second run keeps the data."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client
from pathlib import Path

import crm

ROOT = Path(__file__).resolve().parent.parent


def _serve(db, port):
    return subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "crm.py"), "up", "--db", db, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_until_served(proc, port, timeout=900):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"crm.py up exited with {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(2)
    raise AssertionError(f"nothing served on port {port} after {timeout} s")


def _stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_second_run_keeps_a_record_created_after_the_first():
    db = f"crm_up_test_{os.getpid()}"
    port = crm.free_port()
    pg = crm.ensure_postgres(crm.read_sample_config())
    try:
        first = _serve(db, port)
        try:
            _wait_until_served(first, port)
            uid = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common").login(db, "admin", "admin")
            assert uid, "the documented login admin/admin works"
            models = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/object")
            partner_id = models.execute_kw(db, uid, "admin", "res.partner", "create", [{"name": "Kept Between Runs"}])
            menus = models.execute_kw(
                db,
                uid,
                "admin",
                "ir.ui.menu",
                "search_read",
                [[("name", "in", ["Relationship", "Key Accounts", "Quality"]), ("parent_id", "=", False)]],
                {"fields": ["name"]},
            )
            assert sorted(m["name"] for m in menus) == ["Key Accounts", "Quality", "Relationship"]
        finally:
            _stop(first)

        second = _serve(db, port)
        try:
            _wait_until_served(second, port)
            models = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/object")
            found = models.execute_kw(db, uid, "admin", "res.partner", "read", [[partner_id]], {"fields": ["name"]})
            assert found == [{"id": partner_id, "name": "Kept Between Runs"}]
        finally:
            _stop(second)
    finally:
        crm.drop_database(pg, db)
