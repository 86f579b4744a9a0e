#!/usr/bin/env python3
"""Set up and run the product, or run its whole test suite.

    python3 scripts/crm.py up      # database with our modules and demo data, served on :8069
    python3 scripts/crm.py test    # lint, then every test on a fresh, disposable database

Odoo 18 is not downloaded here: it must be importable (``import odoo``) or be a
source checkout named by ``ODOO_PATH``. Only the standard library is used until
Odoo is found, so the script can explain what is missing on a bare machine.
"""

import argparse
import configparser
import getpass
import hashlib
import importlib.metadata
import io
import json
import operator
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
MODULES = ("crm_relationship", "crm_key_accounts", "crm_quality_feedback")
ODOO_DOC = "https://www.odoo.com/documentation/18.0/administration/on_premise/source.html"
PRIVATE_PG_PORT = 54329


class SetupError(Exception):
    pass


def say(message):
    print(f"[crm] {message}", flush=True)


# --------------------------------------------------------------------------- Odoo


def odoo_env():
    """Environment for every Odoo process: ODOO_PATH first on the path."""
    env = dict(os.environ)
    odoo_path = os.environ.get("ODOO_PATH")
    if odoo_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [odoo_path, env.get("PYTHONPATH")]))
    return env


# Prints the folder of the odoo package (found without running it), then imports it for its version.
ODOO_PROBE = """
import importlib.util, os
spec = importlib.util.find_spec("odoo")
print(os.path.dirname(spec.origin) if spec and spec.origin else "", flush=True)
import odoo.release
print(odoo.release.version_info[0])
"""


def find_odoo():
    """Return (version, package folder) of Odoo 18, or raise SetupError saying how to get it."""
    odoo_path = os.environ.get("ODOO_PATH")
    if odoo_path and not (Path(odoo_path) / "odoo" / "__init__.py").is_file():
        raise SetupError(f"ODOO_PATH={odoo_path} is not an Odoo source checkout (it has no odoo/__init__.py).")
    probe = subprocess.run(
        [sys.executable, "-c", ODOO_PROBE],
        env=odoo_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    package_dir, major = (probe.stdout.splitlines() + ["", ""])[:2]
    if probe.returncode != 0:
        if package_dir:  # there, but it does not import: first the versions of the packages it needs
            check_odoo_pins(Path(package_dir))
        raise SetupError(
            "Odoo 18 was not found or does not import: `import odoo` fails for "
            f"{sys.executable} and ODOO_PATH is {'set but unusable' if odoo_path else 'unset'}.\n"
            "Provide it in one of two ways, then run this command again:\n"
            "  - install Odoo 18.0's pinned requirements, then Odoo itself without its dependencies:\n"
            "    pip install -r <odoo-18.0-source>/requirements.txt && pip install --no-deps <odoo-18.0-source>\n"
            "    (a plain pip install of the source can bring versions Odoo 18 does not start with), or\n"
            "  - keep an Odoo 18.0 source checkout and export ODOO_PATH=/path/to/that/checkout\n"
            "    (its requirements.txt installed: pip install -r $ODOO_PATH/requirements.txt).\n"
            "The exact steps are in README.md, 'Getting Odoo 18'.\n"
            f"Odoo's source install guide: {ODOO_DOC}\n"
            f"(python said: {probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else '?'})"
        )
    if major != "18":
        raise SetupError(f"Odoo {major} was found at {package_dir}; this product needs 18.0. {ODOO_DOC}")
    return major, Path(package_dir)


# Odoo 18 does not start with other majors of these than its requirements.txt pins: a newer
# cryptography beside pyopenssl 21 ("No module named 'cryptography.hazmat.backends.openssl.x509'"),
# PyPDF2 3 (DeprecationError), lxml 5.2 and later without lxml-html-clean (lxml.html.clean).
# Such a version, or one of them missing, stops both commands; other differences are reported.
ODOO_CRITICAL = {"cryptography", "pyopenssl", "pypdf2", "lxml", "lxml-html-clean"}
# Their lines of Odoo 18.0's requirements.txt, for an installed Odoo whose source is gone.
ODOO_CRITICAL_PINS = """
cryptography==3.4.8 ; python_version < '3.12'
cryptography==42.0.8 ; python_version >= '3.12'
pyopenssl==21.0.0 ; python_version < '3.12'
pyopenssl==24.1.0 ; python_version >= '3.12'
PyPDF2==1.26.0 ; python_version <= '3.10'
PyPDF2==2.12.1 ; python_version > '3.10'
lxml==4.8.0 ; python_version <= '3.10'
lxml==4.9.3 ; python_version > '3.10' and python_version < '3.12'
lxml==5.2.1 ; python_version >= '3.12'
lxml-html-clean ; python_version >= '3.12'
"""
REQUIREMENT = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:==\s*([^\s;,]+))?[^;]*(?:;(.*))?$")
MARKER_CLAUSE = re.compile(r"""(\w+)\s*(==|!=|<=|>=|<|>)\s*['"]([^'"]*)['"]$""")
COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}


def simple_marker_holds(marker):
    """The markers of Odoo's requirements.txt: python_version and sys_platform tests joined by "and".
    Anything else is not understood and the line is left out."""
    for clause in re.split(r"\s+and\s+", marker.strip()):
        found = MARKER_CLAUSE.match(clause.strip())
        if not found or found[1] not in ("python_version", "sys_platform"):
            return False
        variable, compare, value = found.groups()
        if variable == "python_version":
            holds = COMPARE[compare](sys.version_info[:2], tuple(int(part) for part in value.split(".")))
        else:
            holds = compare in ("==", "!=") and COMPARE[compare](sys.platform, value)
        if not holds:
            return False
    return True


def marker_holds(marker):
    try:
        from packaging.markers import Marker  # pip's own packaging, when it is importable
    except ImportError:
        return simple_marker_holds(marker)
    return Marker(marker).evaluate()


def requirement_pins(text):
    """(name, version pinned with == or None) of each requirement line that applies to this Python."""
    pins = []
    for line in text.splitlines():
        found = REQUIREMENT.match(line.split("#", 1)[0].strip())
        if found and (not found[3] or marker_holds(found[3])):
            pins.append((found[1], found[2]))
    return pins


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def odoo_requirements_file(package_dir):
    """Odoo's requirements.txt: in the checkout holding the odoo package, or in the source folder
    pip installed Odoo from (its direct_url.json); None when neither is there."""
    folders = [package_dir.parent]
    try:
        direct = json.loads(importlib.metadata.distribution("odoo").read_text("direct_url.json") or "{}")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        direct = {}
    if direct.get("url", "").startswith("file://"):
        folders.append(Path(urllib.parse.unquote(urllib.parse.urlparse(direct["url"]).path)))
    for folder in folders:
        if (folder / "requirements.txt").is_file() and (folder / "odoo-bin").is_file():
            return folder / "requirements.txt"
    return None


def check_odoo_pins(package_dir, installed_version=importlib.metadata.version):
    """Stop before Odoo starts when a package it breaks without (ODOO_CRITICAL) is missing or at
    another major than Odoo 18 pins for this Python; say which other pins are not met."""
    source = odoo_requirements_file(package_dir)
    pins = requirement_pins(source.read_text() if source else ODOO_CRITICAL_PINS)
    # this product's requirements.txt chooses its own versions of a few (xlsxwriter): not reported
    ours = {normalized(name) for name, _pin in requirement_pins((ROOT / "requirements.txt").read_text())}
    python = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    fatal, notes = [], []
    for name, pin in pins:
        try:
            version = installed_version(name)
        except importlib.metadata.PackageNotFoundError:
            version = None
        if version is not None and pin in (None, version):
            continue
        wanted = f"{name}=={pin}" if pin else name
        if normalized(name) in ODOO_CRITICAL and (version is None or version.split(".")[0] != pin.split(".")[0]):
            found = f"{version} is installed" if version else "it is not installed"
            fatal.append((wanted, f"Odoo 18 needs {wanted} ({python}) but {found}: pip install '{wanted}'"))
        elif normalized(name) not in ours:
            notes.append(f"{wanted} ({version or 'not installed'})")
    if notes:
        restore = f"pip install -r {source}" if source else "Odoo's requirements.txt"
        say(f"{len(notes)} other pins of Odoo 18 for {python} not met ({restore}): {', '.join(notes)}")
    if fatal:
        lines = [line for _wanted, line in fatal]
        if len(fatal) > 1:
            lines.append(f"all at once: pip install {' '.join(repr(wanted) for wanted, _line in fatal)}")
        raise SetupError(
            f"Odoo 18 would not start with the packages of {sys.executable} "
            f"(pins from {source or 'scripts/crm.py: Odoo requirements.txt not found'}):\n  "
            + "\n  ".join(lines)
            + "\n(a pip install of Odoo's source without --no-deps brings such versions: README.md, 'Getting Odoo 18')"
        )


def odoo_command(*args):
    return [sys.executable, "-c", "import odoo.cli; odoo.cli.main()", *args]


def addons_path(odoo_package_dir):
    """Our addons, the OCA wheels' folder, and a checkout's addons when ODOO_PATH is used."""
    paths = [ROOT / "addons"]
    oca_dir = Path(sysconfig.get_paths()["purelib"]) / "odoo" / "addons"
    if oca_dir.is_dir():
        paths.append(oca_dir)
    for candidate in (odoo_package_dir / "addons", odoo_package_dir.parent / "addons"):
        if candidate.is_dir() and (candidate / "web").is_dir() and candidate not in paths:
            paths.append(candidate)
    return ",".join(str(p) for p in paths)


def pip_install():
    say("installing Python requirements (requirements.txt, requirements-oca.txt)")
    quiet = ["-q", "--disable-pip-version-check"]
    for args in (
        ["-r", str(ROOT / "requirements.txt")],
        ["--no-deps", "-r", str(ROOT / "requirements-oca.txt")],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", *quiet, *args],
            env=dict(os.environ, PIP_ROOT_USER_ACTION="ignore"),
            check=False,
        )
        if done.returncode != 0:
            raise SetupError(f"pip install {' '.join(args)} failed (exit {done.returncode}).")


# --------------------------------------------------------------------------- PostgreSQL


def read_sample_config():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "odoo.conf")
    return parser


def pg_connect(host, port, user, dbname="postgres"):
    import psycopg2  # an Odoo requirement, present once Odoo is

    return psycopg2.connect(host=host, port=port, user=user, dbname=dbname, connect_timeout=3)


def pg_answers(host, port, user):
    try:
        pg_connect(host, port, user).close()
        return True
    except Exception:  # any failure means "not usable", the caller decides what next
        return False


def find_pg_binary(name):
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    return str(candidates[0]) if candidates else None


def start_private_cluster():
    """A project-local PostgreSQL for machines without a server (trust auth, loopback only)."""
    initdb, pg_ctl = find_pg_binary("initdb"), find_pg_binary("pg_ctl")
    if not (initdb and pg_ctl):
        raise SetupError(
            "No PostgreSQL server answers and initdb/pg_ctl are not installed. "
            "Install PostgreSQL (e.g. apt-get install postgresql) or start a server and set "
            "db_host/db_port in odoo.conf."
        )
    data = LOCAL / "pgdata"
    run_as = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        import pwd

        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise SetupError("Running as root needs a 'postgres' system user for a private cluster.") from exc
        run_as = ["runuser", "-u", "postgres", "--"]
    LOCAL.mkdir(exist_ok=True)
    if not (data / "PG_VERSION").exists():
        data.mkdir(parents=True, exist_ok=True)
        if run_as:
            os.chown(data, owner.pw_uid, owner.pw_gid)
        say(f"initialising a private PostgreSQL cluster in {data}")
        # the cluster's superuser is named after us: Odoo refuses to connect as 'postgres'
        subprocess.run([*run_as, initdb, "-D", str(data), "-U", getpass.getuser(), "--auth=trust"], check=True)
    say(f"starting the private PostgreSQL cluster on 127.0.0.1:{PRIVATE_PG_PORT}")
    subprocess.run(
        [
            *run_as,
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(data / "server.log"),
            "-o",
            f"-p {PRIVATE_PG_PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data}",
            "-w",
            "start",
        ],
        check=True,
    )
    return "127.0.0.1", PRIVATE_PG_PORT, getpass.getuser()


def ensure_postgres(sample):
    opts = sample["options"]
    host = os.environ.get("CRM_DB_HOST", opts.get("db_host", "127.0.0.1"))
    port = int(os.environ.get("CRM_DB_PORT", opts.get("db_port", "5432")))
    user = os.environ.get("CRM_DB_USER") or opts.get("db_user", "False")
    if user in ("", "False"):
        user = getpass.getuser()
    if pg_answers(host, port, user):
        return host, port, user
    if pg_answers("127.0.0.1", PRIVATE_PG_PORT, user):
        return "127.0.0.1", PRIVATE_PG_PORT, user
    say(f"no PostgreSQL answers on {host}:{port} as {user}")
    return start_private_cluster()


def write_config(sample, pg, dbname, port, odoo_package_dir, name, test_enable=False):
    """The sample odoo.conf with this machine's absolute paths and server."""
    host, pg_port, user = pg
    LOCAL.mkdir(exist_ok=True)
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_dict({"options": dict(sample["options"])})
    conf["options"].update(
        {
            "addons_path": addons_path(odoo_package_dir),
            "db_host": host,
            "db_port": str(pg_port),
            "db_user": user,
            "db_name": dbname,
            "dbfilter": f"^{re.escape(dbname)}$",
            "http_port": str(port),
            "data_dir": str(LOCAL / "data"),
        }
    )
    if test_enable:  # the test framework refuses to be imported otherwise
        conf["options"]["test_enable"] = "True"
    path = LOCAL / name
    with path.open("w") as handle:
        conf.write(handle)
    return path


def database_state(pg, dbname):
    """None when the database is missing, else the set of our modules installed in it."""
    host, port, user = pg
    conn = pg_connect(host, port, user)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
            if not cr.fetchone():
                return None
    finally:
        conn.close()
    conn = pg_connect(host, port, user, dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module')")
            if not cr.fetchone()[0]:
                return set()
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name IN %s",
                [MODULES],
            )
            return {row[0] for row in cr.fetchall()}
    finally:
        conn.close()


def server_statement(pg, statement):
    """A statement that runs outside a transaction (CREATE/DROP DATABASE) on the server."""
    host, port, user = pg
    conn = pg_connect(host, port, user)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(statement)
    finally:
        conn.close()


def drop_database(pg, dbname):
    server_statement(pg, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    shutil.rmtree(LOCAL / "data" / "filestore" / dbname, ignore_errors=True)


def addons_fingerprint():
    """A hash of our addons' files: when it changes, an existing database is upgraded."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "addons").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def install_modules(config_path, dbname, log_file=None, upgrade=False):
    """Create the database if needed and install (or upgrade) our modules with demo data."""
    step = "-u" if upgrade else "-i"
    args = odoo_command("-c", str(config_path), "-d", dbname, step, ",".join(MODULES), "--stop-after-init", "--no-http")
    if log_file:
        args += ["--logfile", str(log_file)]
    started = time.monotonic()
    done = subprocess.run(args, env=odoo_env(), check=False)
    if done.returncode != 0:
        raise SetupError(f"installing {', '.join(MODULES)} into {dbname} failed (exit {done.returncode}).")
    if log_file and re.search(r" (ERROR|CRITICAL) ", log_file.read_text(errors="replace")):
        raise SetupError(f"installing into {dbname} logged errors; see {log_file}")
    say(f"modules {'upgraded' if upgrade else 'installed'} in {dbname} in {time.monotonic() - started:.0f} s")


def load_language(config_path, dbname, lang):
    """Install ``lang`` (Odoo's and our modules' translations) and make it the admin's language."""
    args = odoo_command(
        "-c", str(config_path), "-d", dbname, f"--load-language={lang}", "--stop-after-init", "--no-http"
    )
    if subprocess.run(args, env=odoo_env(), check=False).returncode != 0:
        raise SetupError(f"loading the language {lang} into {dbname} failed.")
    shell = odoo_command("shell", "-c", str(config_path), "-d", dbname, "--no-http", "--log-level=warn")
    script = f"env.ref('base.user_admin').write({{'lang': {lang!r}}}); env.cr.commit()\n"
    done = subprocess.run(shell, input=script, text=True, env=odoo_env(), check=False, capture_output=True)
    if done.returncode != 0:
        raise SetupError(f"setting {lang} on the admin user of {dbname} failed:\n{done.stderr[-2000:]}")
    say(f"language {lang} installed in {dbname} and set on the admin user")


# --------------------------------------------------------------------------- commands


def cmd_up(options):
    _major, package_dir = find_odoo()
    if not options.skip_pip:
        pip_install()
    check_odoo_pins(package_dir)  # after pip: our requirements must not break Odoo's
    sample = read_sample_config()
    pg = ensure_postgres(sample)
    dbname = options.db or os.environ.get("CRM_DB") or sample["options"].get("db_name", "crm_demo")
    config_path = write_config(sample, pg, dbname, options.port, package_dir, f"odoo-{dbname}.conf")
    installed = database_state(pg, dbname)
    marker = LOCAL / f"{dbname}.addons-fingerprint"
    fingerprint = addons_fingerprint()
    if installed is None or set(MODULES) - installed:
        say(f"database {dbname}: installing {', '.join(MODULES)} with demo data (about three minutes)")
        install_modules(config_path, dbname)
    elif not marker.exists() or marker.read_text() != fingerprint:
        say(f"database {dbname} exists; our addons changed since it was set up: upgrading them, data kept")
        install_modules(config_path, dbname, upgrade=True)
    else:
        say(f"database {dbname} exists with our modules: keeping it as it is")
    marker.write_text(fingerprint)
    if options.lang:
        load_language(config_path, dbname, options.lang)
    if options.setup_only:
        return 0
    say(f"serving http://localhost:{options.port}  (login: admin, password: admin; Ctrl+C stops)")
    os.execve(
        sys.executable,
        odoo_command("-c", str(config_path), "-d", dbname, "--http-port", str(options.port)),
        odoo_env(),
    )
    return 0  # not reached


def run_lint():
    """ruff and pylint-odoo; returns the list of failed linters."""
    failed = []
    targets = ["addons", "tests", "scripts"]
    for name, args in (
        ("ruff check", [sys.executable, "-m", "ruff", "check", *targets]),
        ("ruff format", [sys.executable, "-m", "ruff", "format", "--check", "--quiet", *targets]),
        (
            "pylint-odoo",
            [
                sys.executable,
                "-m",
                "pylint",
                "--rcfile",
                str(ROOT / ".pylintrc"),
                *[str(ROOT / "addons" / m) for m in MODULES],
            ],
        ),
    ):
        say(f"lint: {name}")
        if subprocess.run(args, cwd=ROOT, check=False).returncode != 0:
            failed.append(name)
    return failed


PYTEST_SUMMARY = re.compile(r"(\d+) (passed|failed|error|errors|skipped)")


def cmd_test(options):
    _major, package_dir = find_odoo()
    if not options.skip_pip:
        pip_install()
    check_odoo_pins(package_dir)  # after pip: our requirements must not break Odoo's
    started = time.monotonic()
    lint_failed = [] if options.skip_lint else run_lint()
    sample = read_sample_config()
    pg = ensure_postgres(sample)
    dbname = f"crm_test_{os.getpid()}_{int(time.time())}"
    config_path = write_config(sample, pg, dbname, free_port(), package_dir, "odoo-test.conf", test_enable=True)
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    install_log = LOCAL / "test-install.log"
    install_log.unlink(missing_ok=True)
    try:
        say(f"installing {', '.join(MODULES)} with demo data into the disposable database {dbname}")
        try:
            install_modules(config_path, dbname, log_file=install_log)
        except SetupError as exc:
            say(str(exc))
            print(install_log.read_text(errors="replace")[-6000:] if install_log.exists() else "")
            counts["failed"] += 1
        else:
            counts = run_pytest(config_path, dbname, options.pytest_args)
            if not options.pytest_args:  # a filtered run is a developer's shortcut: no lifecycle phase
                for key, value in run_lifecycle(pg, config_path, dbname).items():
                    counts[key] += value
    finally:
        if not options.keep_db:
            drop_database(pg, dbname)
    counts["passed"] += 3 - len(lint_failed) if not options.skip_lint else 0
    counts["failed"] += len(lint_failed)
    if lint_failed:
        say(f"lint failed: {', '.join(lint_failed)}")
    say(f"whole suite took {time.monotonic() - started:.0f} s")
    print(f"summary: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    return 1 if counts["failed"] or not counts["passed"] else 0


def run_pytest(config_path, dbname, extra_args):
    test_dirs = [str(ROOT / "addons" / m / "tests") for m in MODULES] + [str(ROOT / "tests")]
    args = [
        sys.executable,
        "-m",
        "pytest",
        f"--odoo-config={config_path}",
        f"--odoo-database={dbname}",
        "--odoo-log-level=warn",
        "-p",
        "no:cacheprovider",
        "-q",
        "-rfEs",
        f"--ignore={ROOT / 'tests' / 'lifecycle'}",
        *test_dirs,
        *extra_args,
    ]
    if shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"):
        args.append("--odoo-http")
    else:
        say("no Chromium found: browser tours are skipped (apt-get install chromium)")
    env = odoo_env()
    env["CRM_TEST_DB"] = dbname
    # the browser journeys save the screen they end on here (README, "Screenshots")
    env["CRM_SCREENSHOTS"] = str(LOCAL / "screenshots")
    return pytest_counts(subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False))


def pytest_counts(proc):
    """Echo a finished pytest run and count its closing line."""
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr[-20000:])
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    tail = proc.stdout.strip().splitlines()[-1:] or [""]
    for number, word in PYTEST_SUMMARY.findall(tail[0]):
        key = {"error": "failed", "errors": "failed"}.get(word, word)
        counts[key] += int(number)
    if proc.returncode not in (0,) and not counts["failed"]:
        counts["failed"] += 1  # pytest itself broke (collection error, no test run, ...)
    return counts


def copy_database(pg, source, target):
    """A copy of a database (no connection may be open on the source) and of its filestore."""
    drop_database(pg, target)
    server_statement(pg, f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    filestore = LOCAL / "data" / "filestore"
    if (filestore / source).is_dir():
        shutil.copytree(filestore / source, filestore / target)


def last_release():
    """(name, full commit sha) of the last line of RELEASES: the release upgrades are proven from."""
    if not (ROOT / "RELEASES").is_file():
        raise SetupError("RELEASES is missing: the upgrade from the last release cannot be tested.")
    lines = [line.split() for line in (ROOT / "RELEASES").read_text().splitlines()]
    releases = [fields for fields in lines if fields and not fields[0].startswith("#")]
    if not releases or len(releases[-1]) != 2 or not re.fullmatch(r"[0-9a-f]{40}", releases[-1][1]):
        raise SetupError("RELEASES has no line '<release> <full commit sha>'.")
    return releases[-1][0], releases[-1][1]


def git(*args, binary=False):
    try:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=not binary, check=False)
    except OSError as exc:
        raise SetupError(f"git cannot be run ({exc}): the release's code cannot be read.") from exc
    return done.returncode, done.stdout


def extract_release_addons(target):
    """Our addons as they are at the last release (RELEASES), written into target/addons.

    The commit comes from RELEASES, committed with the code, so a fresh clone finds it even when
    tags do not travel; a local tag of the same name must agree with it. `git archive` reads the
    commit without touching the work tree, the index or the worktree list.
    """
    name, sha = last_release()
    if not (ROOT / ".git").exists():
        raise SetupError(f"{ROOT} is not a git clone: the release {name} ({sha[:10]}) cannot be read.")
    if git("cat-file", "-e", f"{sha}^{{commit}}")[0] != 0:
        raise SetupError(f"release {name}: commit {sha} is not in this clone (a shallow clone? git fetch --unshallow).")
    code, tagged = git("rev-parse", "-q", "--verify", f"refs/tags/{name}^{{commit}}")
    if code == 0 and tagged.strip() != sha:
        raise SetupError(f"the tag {name} points to {tagged.strip()}, RELEASES says {sha}: which one was released?")
    code, archive = git("archive", "--format=tar", sha, "addons", binary=True)
    if code != 0:
        raise SetupError(f"git archive {sha} addons failed.")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        # the "data" filter where this Python has it (3.10.12, 3.11.4 and later); our own commit either way
        tar.extractall(target, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    missing = [module for module in MODULES if not (Path(target) / "addons" / module / "__manifest__.py").is_file()]
    if missing:
        raise SetupError(f"release {name} ({sha[:10]}) has no {', '.join(missing)}.")
    return name, sha, Path(target) / "addons"


def release_config(config_path, release_addons, dbname):
    """The test configuration with the release's addons in place of ours, for its own database."""
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(config_path)
    paths = [path for path in conf["options"]["addons_path"].split(",") if Path(path) != ROOT / "addons"]
    conf["options"].update(
        {
            "addons_path": ",".join([str(release_addons), *paths]),
            "db_name": dbname,
            "dbfilter": f"^{re.escape(dbname)}$",
            "test_enable": "False",
        }
    )
    path = LOCAL / "odoo-release.conf"
    with path.open("w") as handle:
        conf.write(handle)
    return path


def run_lifecycle(pg, config_path, dbname):
    """Upgrade and uninstall on a copy of the tested database, and an upgrade from the last release on
    a database of its own (tests/lifecycle); both databases and the release's files are removed after."""
    copy, release_db = f"{dbname}_lifecycle", f"{dbname}_release"
    say(f"lifecycle: upgrade and uninstall on {copy}, a copy of the tested database")
    env = odoo_env()
    env.update(
        CRM_LIFECYCLE_DB=copy,
        CRM_LIFECYCLE_CONFIG=str(config_path),
        CRM_LIFECYCLE_PG=":".join(str(part) for part in pg),
    )
    release_dir = tempfile.mkdtemp(prefix="crm-release-")
    try:
        try:
            name, sha, addons = extract_release_addons(release_dir)
        except SetupError as exc:  # the release test reports it as its failure
            env["CRM_RELEASE_ERROR"] = str(exc)
        else:
            say(f"lifecycle: upgrade from the release {name} ({sha[:10]}) on {release_db}")
            env.update(
                CRM_RELEASE=f"{name} {sha}",
                CRM_RELEASE_DB=release_db,
                CRM_RELEASE_CONFIG=str(release_config(config_path, addons, release_db)),
            )
        copy_database(pg, dbname, copy)
        args = [sys.executable, "-m", "pytest", "-p", "no:odoo", "-p", "no:cacheprovider", "-q", "-rfEs"]
        return pytest_counts(
            subprocess.run(
                [*args, str(ROOT / "tests" / "lifecycle")],
                cwd=ROOT,
                env=env,
                check=False,
                capture_output=True,
                text=True,
            )
        )
    finally:
        drop_database(pg, copy)
        drop_database(pg, release_db)
        shutil.rmtree(release_dir, ignore_errors=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="set up the demo database and serve it")
    up.add_argument("--db", help="database name (default: db_name of odoo.conf, or $CRM_DB)")
    up.add_argument("--port", type=int, default=int(os.environ.get("CRM_HTTP_PORT", 8069)))
    up.add_argument("--setup-only", action="store_true", help="prepare the database, do not serve")
    up.add_argument("--skip-pip", action="store_true", help="do not run pip install")
    up.add_argument("--lang", help="also install this language (ru_RU, zh_CN, ...) and set it on the admin user")
    test = sub.add_parser("test", help="lint and run the whole test suite on a fresh database")
    test.add_argument("--keep-db", action="store_true", help="keep the test database afterwards")
    test.add_argument("--skip-lint", action="store_true")
    test.add_argument("--skip-pip", action="store_true", help="do not run pip install")
    test.add_argument("pytest_args", nargs="*", help="extra pytest arguments, after --")
    options = parser.parse_args(argv)
    try:
        return cmd_up(options) if options.command == "up" else cmd_test(options)
    except SetupError as exc:
        print(f"[crm] ERROR: {exc}", file=sys.stderr, flush=True)
        if options.command == "test":
            print("summary: 0 passed, 1 failed")
        return 2


if __name__ == "__main__":
    sys.exit(main())
