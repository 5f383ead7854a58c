"""Create ``.venv`` with a working pip, on any python3 >= 3.11.

Debian's python3 ships without ``ensurepip`` unless ``python3-venv`` is installed. Then the venv
is made ``--without-pip`` and pip is installed from its own wheel fetched from PyPI (the wheel is
runnable as a zip: ``python pip.whl/pip install pip.whl``), so ``make run`` needs nothing but
python3, make and access to PyPI.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path

VENV = Path(sys.argv[1] if len(sys.argv) > 1 else ".venv")
PYTHON = VENV / "bin" / "python"


def has_pip() -> bool:
    return (
        PYTHON.exists()
        and subprocess.run(
            [str(PYTHON), "-m", "pip", "--version"], capture_output=True, check=False
        ).returncode
        == 0
    )


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 — runs under the system python3, any version
        sys.exit("kehoach cần Python 3.11 trở lên (python3 hiện tại: %s)." % sys.version.split()[0])
    if has_pip():
        return
    try:
        import ensurepip  # noqa: F401

        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    except (ImportError, subprocess.CalledProcessError):
        venv.EnvBuilder(with_pip=False, clear=True).create(VENV)
    if has_pip():
        return
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:  # noqa: S310
        release = json.load(response)
    wheel = next(u for u in release["urls"] if u["packagetype"] == "bdist_wheel")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / wheel["filename"]
        with urllib.request.urlopen(wheel["url"], timeout=120) as response:  # noqa: S310
            target.write_bytes(response.read())
        subprocess.run(
            [str(PYTHON), f"{target}/pip", "install", "--no-index", str(target)], check=True
        )
    if not has_pip():
        sys.exit("Không cài được pip vào .venv.")


if __name__ == "__main__":
    main()
