"""The course on a real JupyterHub with several learners, each a Unix account of their own.

JupyterHub from PyPI and configurable-http-proxy from npm (tests/npm) run on 127.0.0.1 with
JupyterHub's test-grade SharedPasswordAuthenticator (one workshop password) and
LocalProcessSpawner, the set-up The Littlest JupyterHub
uses: one machine, one account per learner, every single-user server on the same loopback.
Learners log in at once in headless Chromium, run chapter 6 in JupyterLab up to its members
app, and use it through the link the chapter prints: a login form, a redirect and a url_for
link. Then the test tries what crosses from one learner to another: the other's link, the
other's app through one's own jupyter-server-proxy and straight over loopback, and cookies.
The figures (learners, time to log in, memory and CPU per learner, what crosses) are printed
at the end of the run and written to build/hub/figures.json.

Needs root (it creates and removes the accounts), Chromium, Playwright and npm's proxy;
without them it skips, except under CI=true, where it fails.
"""

import asyncio
import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tools import handouts
from tools.chapters import NOTEBOOKS, ROOT
from tests import node_tools
from tests.support import free_port

pytestmark = pytest.mark.hub

LEARNERS = 4
CHAPTER = "06-sessions.ipynb"
APP_CELL = "link(members)"  # the chapter's cell that serves the members app and prints its link
MEMBER = {"user": "ada", "password": "correct horse battery staple"}  # chapter 6's sample account
HUB_PASSWORD = secrets.token_urlsafe(24)
FIGURES = ROOT / "build" / "hub" / "figures.json"
CHROMIUM = handouts.installed_browser()
BIN = Path(sys.executable).parent
# What a room may expect per learner, with room to spare on a busy 2-core machine.
MEMORY_LIMIT_MB = 600
LOGIN_LIMIT_S = 240


def _unavailable():
    """Why this machine cannot run the hub test, or None."""
    if os.geteuid() != 0:
        return "needs root, to create a Unix account per learner (CI runs as root)"
    if shutil.which("useradd") is None:
        return "needs useradd (Debian's passwd package)"
    if CHROMIUM is None:
        return "needs Chromium (apt-get install chromium)"
    try:
        import jupyterhub  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as error:
        return f"needs {error.name} (make test installs requirements-dev.txt)"
    closed = [str(p) for p in (ROOT, Path(sysconfig.get_paths()["purelib"])) if not everyone_can_enter(p)]
    if closed:
        return f"learners cannot read {', '.join(closed)}: a folder above is closed to other accounts (clone the course where every account can read it)"
    return node_tools.missing("configurable-http-proxy")


def setup_module():
    reason = _unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


# --- Unix accounts ----------------------------------------------------------------------------


def create_learners(count):
    """Create ``count`` Unix accounts with a home each; return their names."""
    tag = secrets.token_hex(3)
    names = [f"flaskhub-{tag}-{i}" for i in range(1, count + 1)]
    for name in names:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True, capture_output=True)
        home = Path(pwd.getpwnam(name).pw_dir)
        home.chmod(home.stat().st_mode & ~0o007)  # as The Littlest JupyterHub does: o-rwx
        # The course's notebooks land in each learner's home, as nbgitpuller would put them there.
        shutil.copy(NOTEBOOKS / CHAPTER, home / CHAPTER)
        shutil.chown(home / CHAPTER, name, name)
    return names


def remove_learners(names):
    """Remove the accounts, their homes and every process they still run (all started here)."""
    for name in names:
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
        for pid in processes_of(uid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    for name in names:
        for _ in range(50):
            done = subprocess.run(["userdel", "--remove", name], capture_output=True)
            if done.returncode in (0, 6):  # 6: no such user
                break
            time.sleep(0.1)  # "user is currently used by process": the kill is still landing


def runs_as(name, python, code):
    """Run Python code as learner ``name``; return what it prints (or its error)."""
    done = subprocess.run(
        ["runuser", "-u", name, "--", str(python), "-c", code],
        capture_output=True, text=True, timeout=60, cwd="/",
    )
    return done.stdout.strip() or done.stderr.strip()[-500:]


# --- The environment every learner runs -------------------------------------------------------


def everyone_can_enter(folder):
    """True when any account may read ``folder`` and pass through every folder above it."""
    folder = Path(folder).resolve()
    return bool(folder.stat().st_mode & 0o004) and all(part.stat().st_mode & 0o001 for part in [folder, *folder.parents])


def everyone_can_run(path):
    """True when any account may run ``path``: every folder above it and the file itself allow it."""
    path = Path(path).resolve()
    return all(part.stat().st_mode & 0o001 for part in [path, *path.parents])


def shared_environment(folder):
    """The bin folder of an environment that every learner can run, with the course's packages.

    On a hub every learner runs one shared environment (The Littlest JupyterHub's is
    /opt/tljh/user), so its interpreter must be open to all. When this machine's Python lives
    where other accounts cannot enter (pyenv under /root), a small venv made from the system's
    Python of the same version loads the course's site-packages and shares its Jupyter data and
    configuration folders (JupyterLab's files, jupyter-server-proxy's server extension).
    """
    if everyone_can_run(sys.executable):
        return BIN
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system_python = shutil.which(version, path="/usr/local/bin:/usr/bin")
    if system_python is None or not everyone_can_run(system_python):
        raise RuntimeError(f"learners cannot run {sys.executable}, and no system {version} was found")
    env = Path(folder) / "env"
    subprocess.run([system_python, "-m", "venv", "--without-pip", str(env)], check=True)
    site_packages = Path(sysconfig.get_paths()["purelib"])
    bridged = env / "lib" / version / "site-packages" / "flask-course-env.pth"
    bridged.write_text(f"import site; site.addsitedir({str(site_packages)!r})\n")
    for name in ("share", "etc"):
        (env / name).symlink_to(Path(sys.prefix) / name)
    return env / "bin"


# --- The hub ----------------------------------------------------------------------------------


HUB_CONFIG = """
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {folder!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {folder!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {folder!r} + "/cookie_secret"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allowed_users = set({learners!r})
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [{python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.ip = "127.0.0.1"
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"
c.Spawner.args = ["--LabApp.expose_app_in_browser=True"]
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
# Each learner's scratch and work folders are in their own home, not in the shared course folder.
c.Spawner.environment = {{
    "COURSE_SCRATCH": "~/flask-course-scratch", "COURSE_WORK": "~/flask-course-work", "PATH": {path!r},
}}
"""


class Hub:
    """JupyterHub and configurable-http-proxy on 127.0.0.1, configured for ``learners``."""

    def __init__(self, folder, learners, bin_folder):
        self.folder = Path(folder)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = self.folder / "jupyterhub_config.py"
        config.write_text(HUB_CONFIG.format(
            port=self.port, hub_port=free_port(), api_port=free_port(), folder=str(self.folder),
            proxy=str(node_tools.MODULES / ".bin" / "configurable-http-proxy"), password=HUB_PASSWORD,
            learners=list(learners), python=str(Path(bin_folder) / "python"),
            path=f"{bin_folder}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        ))
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        env.pop("JUPYTERHUB_SERVICE_PREFIX", None)
        self.log = open(self.folder / "hub.log", "wb")
        self.process = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(config)], cwd=self.folder, env=env,
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{self.url}/hub/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"JupyterHub did not start:\n{self.tail()}")
            time.sleep(0.2)

    def tail(self, lines=40):
        """The last lines of the hub's log, for a failure message."""
        return "\n".join((self.folder / "hub.log").read_text(errors="replace").splitlines()[-lines:])

    def usage(self):
        """Resident memory (MB) of the hub and of its proxy, which every learner shares."""
        figures = {}
        children = (Path("/proc") / str(self.process.pid) / "task" / str(self.process.pid) / "children").read_text().split()
        for pid in [self.process.pid, *map(int, children)]:
            command = (Path("/proc") / str(pid) / "cmdline").read_bytes()
            kind = "proxy MB" if b"configurable-http-proxy" in command else "hub MB" if pid == self.process.pid else None
            if kind:
                figures[kind] = round(usage(pid)[0], 1)
        return figures

    def stop(self):
        """Stop the hub; with cleanup_servers it stops the learners' servers and its proxy."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- What each learner does in the browser ----------------------------------------------------

# Opens the chapter as a double click in the file browser does (no second load of JupyterLab's page).
RUN_UP_TO = """async ({path, marker}) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute("docmanager:open", {path});
  await panel.context.ready;
  await panel.sessionContext.ready;
  const index = panel.content.widgets.findIndex(cell => cell.model.sharedModel.getSource().includes(marker));
  if (index < 0) return {error: "no cell contains " + marker};
  panel.content.activeCellIndex = index;
  await app.commands.execute("notebook:run-all-above");
  await app.commands.execute("notebook:run-cell");
  const errors = panel.content.widgets.slice(0, index + 1).flatMap(cell =>
    (cell.model.outputs ? cell.model.outputs.toJSON() : []).filter(out => out.output_type === "error"));
  return {outputs: panel.content.widgets[index].model.outputs.toJSON(), errors};
}"""

KERNEL_PRINT = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code});
  let text = "";
  future.onIOPub = msg => { if (msg.header.msg_type === "stream") text += msg.content.text; };
  await future.done;
  return text.trim();
}"""

# What any learner can serve from a cell: an app that answers every path with the cookies it got.
SPY = """
from flask import Flask, request
spy = Flask("spy")
spy.add_url_rule("/", "all", lambda path="": dict(request.cookies), defaults={"path": ""})
spy.add_url_rule("/<path:path>", "any", lambda path: dict(request.cookies))
print(serve(spy, name="spy").port)
"""


class Learner:
    """One learner's browser (its own cookie jar) and what the test saw it do."""

    def __init__(self, name, context):
        self.name = name
        self.context = context
        self.lab = None
        self.app_link = None  # the link chapter 6 prints, a path on the hub
        self.spy_port = None  # an app that shows whatever cookies reach it, at any path
        self.scratch = None  # where the learner's chapters write
        self.login_seconds = None

    @property
    def prefix(self):
        return f"/user/{self.name}/"

    async def log_in(self, hub):
        """Log in on the hub's form and wait for JupyterLab; return the seconds it took."""
        started = time.monotonic()
        self.lab = await self.context.new_page()
        await self.lab.goto(f"{hub.url}/hub/login")
        await self.lab.fill("#username_input", self.name)
        await self.lab.fill("#password_input", HUB_PASSWORD)
        await self.lab.click("#login_submit")
        await self.lab.wait_for_selector("#jp-main-dock-panel", timeout=LOGIN_LIMIT_S * 1000)
        self.login_seconds = time.monotonic() - started
        assert self.lab.url.startswith(f"{hub.url}{self.prefix}lab")

    async def run_chapter(self):
        """Open chapter 6 in the JupyterLab the learner logged in to and run it up to the cell that serves its members app."""
        ran = await self.lab.evaluate(RUN_UP_TO, {"path": CHAPTER, "marker": APP_CELL})
        assert "error" not in ran, ran.get("error")
        assert not ran["errors"], f"{self.name}: a cell failed: {ran['errors'][0]['ename']}: {ran['errors'][0]['evalue']}"
        html = next(out["data"]["text/html"] for out in ran["outputs"] if "text/html" in out.get("data", {}))
        self.app_link = html.split('href="', 1)[1].split('"', 1)[0]
        assert self.app_link.startswith(f"{self.prefix}proxy/absolute/"), self.app_link
        self.spy_port = int(await self.lab.evaluate(KERNEL_PRINT, SPY))
        self.scratch = await self.lab.evaluate(KERNEL_PRINT, "print(scratch('hub-test'))")

    async def use_app(self, hub):
        """Follow the printed link, log in to the members app, follow a url_for link."""
        page = await self.context.new_page()
        home = f"{hub.url}{self.app_link}"
        answer = await page.goto(home)
        assert answer.status == 200 and await page.title() == "Members"
        await page.fill("input[name=user]", MEMBER["user"])
        await page.fill("input[name=password]", MEMBER["password"])
        async with page.expect_navigation():
            await page.click("form button")  # POST /login answers with a redirect to url_for("home")
        assert page.url == home, f"the redirect left the proxied app: {page.url}"
        assert "Welcome, ada!" in await page.inner_text("body")
        async with page.expect_navigation():
            await page.click("text=Your notes")  # a link made by url_for
        assert page.url == f"{home}notes"
        assert await page.inner_text("body") == "ada's private notes"
        await page.close()

    def port(self):
        return int(self.app_link.rstrip("/").rsplit("/", 1)[1])


async def crossing(hub, me, other, python):
    """What reaches ``other``'s apps from ``me``: returns {check: what happened}."""
    page = await me.context.new_page()
    found = {}
    # 1. The other learner's link, as printed in their notebook: the hub refuses it.
    answer = await page.goto(f"{hub.url}{other.app_link}")
    found["other's link"] = answer.status
    found["other's link text"] = await page.inner_text("body")
    # 2. The other learner's app through my own jupyter-server-proxy: one loopback for all. The
    #    helpers accept only their own learner's prefix, so chapter 6's app answers 404, but it
    #    is the other learner's app that answers.
    own_route = f"{hub.url}{me.prefix}proxy/absolute/{other.port()}/"
    answer = await page.goto(own_route)
    found["own proxy"] = answer.status
    found["own proxy server"] = answer.headers.get("server", "")
    # 3. Which of my cookies an app of the other learner's receives when I open it that way.
    received = await page.goto(f"{hub.url}{me.prefix}proxy/absolute/{other.spy_port}/look")
    found["cookies received"] = json.loads(await received.text())
    # 4. Straight over loopback, from a process of mine (a kernel, a terminal). In a thread: the
    #    other learners' crossings go on meanwhile.
    found["loopback"] = await asyncio.to_thread(
        runs_as, me.name, python,
        f"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:{other.port()}/').status)",
    )
    # 5. The other learner's home folder, from a process of mine.
    found["other's home"] = (await asyncio.to_thread(
        runs_as, me.name, python, f"import os; print(len(os.listdir({pwd.getpwnam(other.name).pw_dir!r})))",
    )).splitlines()[-1]
    # 6. Which cookies my browser would send to the other learner's app.
    found["cookies sent to other's link"] = sorted(c["name"] for c in await me.context.cookies(f"{hub.url}{other.app_link}"))
    await page.close()
    return found


# --- Memory and CPU ---------------------------------------------------------------------------


def processes_of(uid):
    """{pid: command line} of every process that runs as ``uid``."""
    found = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if int(next(line for line in status.read_text().splitlines() if line.startswith("Uid:")).split()[1]) == uid:
                found[int(status.parent.name)] = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, StopIteration):
            continue
    return found


def usage(pid):
    """(resident MB, proportional MB, CPU seconds) of one process."""
    proc = Path("/proc") / str(pid)
    rollup = dict(line.split(":", 1) for line in (proc / "smaps_rollup").read_text().splitlines()[1:])
    stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return int(rollup["Rss"].split()[0]) / 1024, int(rollup["Pss"].split()[0]) / 1024, cpu


def learner_usage(name):
    """Memory and CPU of a learner's single-user server and kernels."""
    figures = {"server MB": 0.0, "kernel MB": 0.0, "server PSS MB": 0.0, "kernel PSS MB": 0.0, "CPU s": 0.0}
    for pid, command in processes_of(pwd.getpwnam(name).pw_uid).items():
        kind = "kernel" if "ipykernel" in command else "server" if "jupyterhub.singleuser" in command else None
        if kind is None:
            continue
        rss, pss, cpu = usage(pid)
        figures[f"{kind} MB"] += rss
        figures[f"{kind} PSS MB"] += pss
        figures["CPU s"] += cpu
    return {key: round(value, 1) for key, value in figures.items()}


# --- The test ---------------------------------------------------------------------------------


@pytest.fixture
def hub(tmp_path):
    names = create_learners(LEARNERS)
    shared = Path(tempfile.mkdtemp(prefix="flask-course-hub-env-"))
    shared.chmod(0o755)
    running = None
    try:
        bin_folder = shared_environment(shared)
        running = Hub(tmp_path, names, bin_folder)
        yield running, names, bin_folder / "python"
    finally:
        # The learners' processes go first: stopped by the hub, their servers and kernels took
        # about 5 s to end (hub.log: "Interrupted..." to "...done"); then the hub has none to wait for.
        remove_learners(names)
        if running is not None:
            running.stop()
        shutil.rmtree(shared, ignore_errors=True)


async def drive(hub, names, python):
    """Every learner logs in at once, runs chapter 6 and uses its app; then the crossings."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=handouts.CHROMIUM_ARGS)
        learners = [Learner(name, await browser.new_context()) for name in names]
        started = time.monotonic()
        await asyncio.gather(*(learner.log_in(hub) for learner in learners))
        all_in = time.monotonic() - started
        await asyncio.gather(*(learner.run_chapter() for learner in learners))
        await asyncio.gather(*(learner.use_app(hub) for learner in learners))
        ran = time.monotonic() - started
        own_cookies = {}
        for learner in learners:
            cookies = await learner.context.cookies(f"{hub.url}{learner.app_link}")
            own_cookies[learner.name] = {c["name"]: c["path"] for c in cookies}
        pairs = [(learners[i], learners[(i + 1) % len(learners)]) for i in range(len(learners))]
        # Each learner tries the next one's apps, all at once: each uses only their own browser context.
        crossings = await asyncio.gather(*(crossing(hub, me, other, python) for me, other in pairs))
        await browser.close()
    return learners, all_in, ran, own_cookies, crossings


LINK = "other's link"


def summary(report):
    """The closing lines of a run: what the hub test measured and found."""
    memory = report["memory and CPU per learner"].values()
    worst = max(memory, key=lambda m: m["server MB"] + m["kernel MB"])
    crossing = report["crossings"][0]
    return [
        f"learners: {report['learners']}, logged in at once in "
        f"{report['seconds to log in all (spawn and JupyterLab shown)']} s "
        f"(chapter 6 run and its app used by all: {report['seconds to log in, run chapter 6 to its app and use it, all']} s)",
        f"per learner (largest): single-user server {worst['server MB']} MB, kernel {worst['kernel MB']} MB "
        f"resident, {worst['CPU s']} CPU s; hub {report['hub and proxy, shared by all'].get('hub MB')} MB, "
        f"proxy {report['hub and proxy, shared by all'].get('proxy MB')} MB shared",
        f"another learner's link: {crossing[LINK]} from the hub; their app through one's own proxy: "
        f"reached (it answers {crossing['own proxy']}); over loopback: {crossing['loopback']}; their home: refused",
        f"cookies: the app's session cookie stays on its path (not sent to other apps); the other app "
        f"received {', '.join(crossing['cookies received'])}; replaying the hub cookie: {crossing['replayed hub cookie']}",
        f"figures in {FIGURES.relative_to(ROOT)}",
    ]


def test_several_learners_on_a_real_jupyterhub(hub):
    running, names, python = hub
    try:
        learners, all_in, ran, own_cookies, crossings = asyncio.run(drive(running, names, python))
    except Exception as error:
        raise AssertionError(f"{error}\n--- hub log ---\n{running.tail()}") from error
    memory = {learner.name: learner_usage(learner.name) for learner in learners}
    shared = running.usage()

    for learner in learners:
        app_prefix = learner.app_link.rstrip("/")
        assert own_cookies[learner.name]["session"] == app_prefix, "the app's session cookie is kept to its own path"
        home = pwd.getpwnam(learner.name).pw_dir
        assert learner.scratch == f"{home}/flask-course-scratch/hub-test", "each learner writes in their own home"
    for found in crossings:
        assert found["other's link"] == 403 and "You do not have permission" in found["other's link text"]
        assert found["own proxy server"].startswith("Werkzeug"), f"another learner's app answers through one's own proxy: {found}"
        assert found["own proxy"] == 404, "the helpers refuse a prefix that is not their own learner's"
        assert found["loopback"] == "200", f"another learner's app over loopback: {found['loopback']}"
        assert "session" not in found["cookies sent to other's link"]
        assert "session" not in found["cookies received"], "one app's session cookie reached another app"
        assert "PermissionError" in found["other's home"], found["other's home"]
    # What the other learner's app received through my proxy includes my own server's login cookie:
    # replayed from anywhere, it opens my Jupyter server (files, terminals, kernels) to its holder.
    for me, found in zip(learners, crossings):
        hub_cookie = f"jupyterhub-user-{me.name}"
        assert hub_cookie in found["cookies received"], sorted(found["cookies received"])
        replayed = requests.get(
            f"{running.url}{me.prefix}api/contents", cookies={hub_cookie: found["cookies received"][hub_cookie]}, timeout=30,
        )
        found["replayed hub cookie"] = replayed.status_code
        assert replayed.status_code == 200 and CHAPTER in replayed.text
        found["cookies received"] = sorted(found["cookies received"])
        del found["other's link text"]
    for figures in memory.values():
        assert 0 < figures["kernel MB"] and 0 < figures["server MB"]
        assert figures["kernel MB"] + figures["server MB"] < MEMORY_LIMIT_MB
    assert all_in < LOGIN_LIMIT_S

    report = {
        "learners": len(learners),
        "seconds to log in all (spawn and JupyterLab shown)": round(all_in, 1),
        "seconds to log in, run chapter 6 to its app and use it, all": round(ran, 1),
        "seconds to log in, each": {l.name: round(l.login_seconds, 1) for l in learners},
        "memory and CPU per learner": memory,
        "hub and proxy, shared by all": shared,
        "crossings": crossings,
    }
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    report["closing note"] = summary(report)
    FIGURES.write_text(json.dumps(report, indent=1))  # tests/conftest.py prints the closing note
