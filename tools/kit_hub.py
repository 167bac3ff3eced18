"""The teacher's kit section on running the course on a JupyterHub, from tests/test_hub.py's figures.

A section of its own, so that it can move as it is into however the kit is assembled. The
figures were measured by ``tests/test_hub.py`` (``build/hub/figures.json`` after a run) on a
2-core machine; re-measure and update them when the stack's versions change.
"""

# Measured by tests/test_hub.py: four learners, JupyterHub 6.1.1, configurable-http-proxy
# 4.6.3, LocalProcessSpawner, JupyterLab 4.6.6, chapter 6 run up to its members app.
FIGURES = {
    "learners": 4,
    "login_s": "30 to 47",
    "server_mb": 155,
    "kernel_mb": 65,
    "cpu_s": 5,
    "hub_mb": 125,
    "proxy_mb": 66,
}

SECTION = """## On a JupyterHub

When a room outgrows Binder, run the course on a JupyterHub. `tests/test_hub.py` does that for
real: JupyterHub and its proxy on one machine, {learners} learners with a Unix account each (as The
Littlest JupyterHub does), all logging in at once in a browser, running chapter 6 and using its
app through the link the chapter prints.

### What a room needs

Measured there, per learner, with chapter 6 run up to its app: the single-user server (Jupyter
Server and JupyterLab) {server_mb} MB resident, the chapter's kernel {kernel_mb} MB, and about
{cpu_s} CPU seconds to log in, start the server and run the chapter. The hub and its proxy, shared
by everybody, took {hub_mb} MB and {proxy_mb} MB. Four learners logging in at the same moment
waited {login_s} seconds on 2 busy cores.

- **Memory.** Plan on 512 MB per learner: one chapter needs about 220 MB, and learners keep two
  or three notebooks open, each with its own kernel (Kernel > Shut Down Kernel frees one). Chapters
  10 and 12 also start Gunicorn and Waitress next to the kernel for a few minutes. Add 0.5 GB for
  the hub. A room of N learners: about 0.5 + N x 0.5 GB, so 16 GB serves 30 learners. Set a limit
  of 1 GB per learner so that one runaway cell cannot take the machine down.
- **CPU.** Reading and running cells is light. The bursts are the first log-in (about {cpu_s} CPU
  seconds each: 30 learners logging in together keep 4 cores busy for about 40 seconds) and
  chapter 10's load test, which takes every core it can for a few seconds. A core per 8 to 10
  learners is a rule of thumb, not a measurement: watch the load in the first session. Limit
  each learner to one core so that a load test cannot stall the room.
- **Disk.** The environment is shared; each learner's home holds the notebooks and a scratch
  folder of a few MB.

### What crosses from one learner to another

What the test proved, with a local spawner (every learner's processes on one machine):

- **Another learner's link is refused.** Opening someone else's `/user/<name>/...` address gets
  403 from the hub. Home folders are closed to others (`chmod o-rwx`, as The Littlest JupyterHub
  sets them).
- **Another learner's app is not.** All learners share one loopback, so any process of theirs,
  a kernel or a terminal, can connect to an app another learner serves on 127.0.0.1, and
  jupyter-server-proxy's `/user/<me>/proxy/absolute/<port>/` route opens it in their own browser.
- **Flask's cookies stay with their app.** Flask sets cookies with `Path=/`, which on a hub's one
  domain would send one app's session cookie to every app. The helpers move each cookie's `Path`
  under the address of the app that set it, so the test's session cookies reached no other app.
- **The hub's own cookie does not.** A request a learner's browser sends through their own proxy
  carries their hub login cookie for `/user/<me>/` to whatever app listens on that port. When
  that app is another learner's, its owner receives the cookie, and with it the learner's whole
  Jupyter server: the test replayed it and listed the victim's files. The course cannot change
  this; it is why JupyterHub's security documentation says a user must never be able to serve
  HTML to another user on the hub's domain. Tell learners to open only the links their own
  notebook prints, never a `/proxy/` link someone else sends them.

Which set-ups isolate learners:

| Set-up | Spawner | Apps and loopback | Files |
|---|---|---|---|
| The Littlest JupyterHub | systemd, one Unix user each | shared: not isolated | homes closed to others |
| A hand-made hub with `LocalProcessSpawner` | one Unix user each | shared: not isolated | as the homes' modes allow |
| DockerSpawner | one container each | isolated: each has its own loopback | isolated |
| Zero to JupyterHub (Kubernetes) | one pod each | isolated: each has its own loopback | isolated, a volume each |

A room of colleagues who trust each other is fine on The Littlest JupyterHub. For a room of
strangers, or anything graded, use one container per learner.

### The Littlest JupyterHub

TLJH installs a shared environment in `/opt/tljh/user` that admins install into with `sudo -E`.
On the hub, as an admin, in a terminal:

```bash
sudo git clone <the course repository> /opt/flask-course
cd /opt/flask-course
sudo -E pip install -r requirements.txt
sudo -E pip install --no-deps --editable .
sudo -E python -m tools.lab_settings          # no news prompt in JupyterLab
sudo tljh-config set limits.memory 1G
sudo tljh-config set limits.cpu 1
sudo tljh-config set user_environment.default_app jupyterlab
sudo tljh-config reload
```

Give every learner a writable copy of the chapters (an nbgitpuller link, or copy
`/opt/flask-course/notebooks` into `/etc/skel` before they first log in), and their own scratch
and work folders (the course writes its files and each learner's progress there), in a file in
`/opt/tljh/config/jupyterhub_config.d/`, then `sudo tljh-config reload`:

```python
c.Spawner.environment = {{"COURSE_SCRATCH": "~/flask-course-scratch", "COURSE_WORK": "~/flask-course-work"}}
```

### Zero to JupyterHub

Build the image from this repository with repo2docker, as Binder does: it reads `environment.yml`
and runs `postBuild`, which installs the helpers and the JupyterLab settings. Then point
`singleuser.image` at it in the chart's `config.yaml`, and set `singleuser.memory.limit: 1G` and
`singleuser.cpu.limit: 1` (by default each user is guaranteed 1G and has no limit). Mind one
clash: repo2docker puts the course, and the helpers that `postBuild` installs from it, in the
home folder, and Zero to JupyterHub mounts each learner's own volume over the home folder, which
hides them. For a workshop, `singleuser.storage.type: none` keeps the image's home (work is lost
when a server stops); to keep work, build the image with the course outside the home folder
(repo2docker's `REPO_DIR`) and hand out the chapters with nbgitpuller.
"""


def render_hub():
    """The section as lines of Markdown."""
    return SECTION.format(**FIGURES).strip().splitlines()
