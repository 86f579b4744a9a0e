"""README command 1 (scripts/crm.py up) is idempotent: a second run keeps the data; both README
commands stop before Odoo starts when a package Odoo 18 pins is at a version it breaks with."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client
from pathlib import Path

import crm
import pytest
from packaging.markers import Marker

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


# The versions Odoo 18's requirements.txt pins for this Python (Odoo 18 runs on 3.10 to 3.12).
NEEDED = (
    {"cryptography": "3.4.8", "PyPDF2": "2.12.1", "lxml": "4.9.3"}
    if sys.version_info[:2] == (3, 11)
    else {"cryptography": "42.0.8", "PyPDF2": "2.12.1", "lxml": "5.2.1"}
    if sys.version_info[:2] >= (3, 12)
    else {"cryptography": "3.4.8", "PyPDF2": "1.26.0", "lxml": "4.8.0"}
)
PYTHON = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
BROKEN = {"cryptography": "50.0.0", "PyPDF2": "3.0.1", "lxml": "6.0.0"}  # what a plain pip install of Odoo left


def _shadowing_packages(folder):
    """A folder that, first on the path, makes importlib.metadata see the BROKEN versions."""
    for name, version in BROKEN.items():
        dist_info = folder / f"{name}-{version}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return folder


def _expected_lines():
    return [
        f"  Odoo 18 needs {name}=={NEEDED[name]} ({PYTHON}) but {BROKEN[name]} is installed: "
        f"pip install '{name}=={NEEDED[name]}'"
        for name in ("cryptography", "lxml", "PyPDF2")  # the order of Odoo's requirements.txt
    ]


def test_broken_packages_stop_up_before_odoo(tmp_path):
    db = f"crm_pins_test_{os.getpid()}"
    fake = _shadowing_packages(tmp_path)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(fake), os.environ.get("PYTHONPATH")])))
    pg = crm.ensure_postgres(crm.read_sample_config())
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "crm.py"), "up", "--skip-pip", "--setup-only", "--db", db],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 2, done.stdout + done.stderr
        lines = done.stderr.splitlines()
        assert lines[0].startswith(f"[crm] ERROR: Odoo 18 would not start with the packages of {sys.executable}")
        assert lines[1:4] == _expected_lines()
        assert lines[4] == (
            "  all at once: pip install "
            f"'cryptography=={NEEDED['cryptography']}' 'lxml=={NEEDED['lxml']}' 'PyPDF2=={NEEDED['PyPDF2']}'"
        )
        assert "installing" not in done.stdout and "serving" not in done.stdout
        assert crm.database_state(pg, db) is None, "no database is created: Odoo never ran"
    finally:
        crm.drop_database(pg, db)


def test_broken_packages_stop_test_command_before_odoo(tmp_path, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(_shadowing_packages(tmp_path)))

    def odoo_would_start(*_args):
        raise AssertionError("the test command went on towards Odoo")

    monkeypatch.setattr(crm, "ensure_postgres", odoo_would_start)
    assert crm.main(["test", "--skip-pip", "--skip-lint"]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines()[1:4] == _expected_lines()
    assert out.splitlines()[-1] == "summary: 0 passed, 1 failed"


def test_without_odoo_requirements_file_the_table_of_pins_decides(monkeypatch, capsys):
    monkeypatch.setattr(crm, "odoo_requirements_file", lambda _package_dir: None)
    same_major = NEEDED["cryptography"].split(".")[0] + ".9.9"
    versions = {"cryptography": same_major, "PyPDF2": NEEDED["PyPDF2"]}  # lxml missing

    def installed_version(name):
        if name in versions:
            return versions[name]
        if name == "lxml":
            raise crm.importlib.metadata.PackageNotFoundError(name)
        return crm.importlib.metadata.version(name)

    with pytest.raises(crm.SetupError) as failure:
        crm.check_odoo_pins(Path("/nowhere/odoo"), installed_version)
    message = str(failure.value).splitlines()
    assert message[0].endswith("(pins from scripts/crm.py: Odoo requirements.txt not found):")
    # the same major of cryptography is only reported, a missing lxml stops
    lxml = f"lxml=={NEEDED['lxml']}"
    assert message[1:-1] == [f"  Odoo 18 needs {lxml} ({PYTHON}) but it is not installed: pip install '{lxml}'"]
    assert f"cryptography=={NEEDED['cryptography']} ({same_major})" in capsys.readouterr().out


def test_this_environment_meets_odoo_pins():
    _major, package_dir = crm.find_odoo()
    crm.check_odoo_pins(package_dir)  # raises SetupError on a broken environment


def test_simple_marker_evaluator_agrees_with_packaging():
    _major, package_dir = crm.find_odoo()
    source = crm.odoo_requirements_file(package_dir)
    text = source.read_text() if source else crm.ODOO_CRITICAL_PINS
    markers = [line.split("#")[0].split(";", 1)[1].strip() for line in text.splitlines() if ";" in line.split("#")[0]]
    assert markers
    for marker in markers:
        assert crm.simple_marker_holds(marker) == Marker(marker).evaluate(), marker
    assert crm.simple_marker_holds("sys_platform != 'win32' and python_version >= '3.10'")
    assert not crm.simple_marker_holds("python_version < '3.10'")
    assert not crm.simple_marker_holds('extra == "ldap"'), "what it does not understand is left out"
