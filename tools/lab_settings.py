"""Install the course's JupyterLab defaults into an environment: no news prompt, no update check.

JupyterLab reads ``overrides.json`` from ``<prefix>/share/jupyter/lab/settings`` as its default
settings. ``make lab`` (through its install step), Binder's ``postBuild`` and the README's conda
steps run ``python -m tools.lab_settings``, which merges ``tools/jupyterlab/overrides.json``
into that file of the running Python's environment, keeping any setting already there.
"""

import json
import sys
from pathlib import Path

SOURCE = Path(__file__).parent / "jupyterlab" / "overrides.json"


def target(prefix=sys.prefix):
    """Where JupyterLab in the environment at ``prefix`` looks for overrides.json."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def merged(current, ours):
    """``current`` settings with ``ours`` written over them, plugin by plugin."""
    result = {plugin: dict(settings) for plugin, settings in current.items()}
    for plugin, settings in ours.items():
        result.setdefault(plugin, {}).update(settings)
    return result


def install(prefix=sys.prefix):
    """Write the course's settings into the environment's overrides.json; return its path."""
    path = target(prefix)
    current = json.loads(path.read_text()) if path.exists() else {}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged(current, json.loads(SOURCE.read_text())), indent=2) + "\n")
    return path


if __name__ == "__main__":
    print(f"JupyterLab settings: {install()}")
