"""Write requirements.lock: the whole installed dependency tree of .venv, pinned with sha256 hashes.

Usage (make lock): install or upgrade what pyproject.toml asks for in .venv, then run
``.venv/bin/python tools/make_lock.py``. It downloads each pinned distribution for this
platform once and hashes it, so ``pip install --require-hashes -r requirements.lock`` installs
exactly the tree that was tested.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.utils import parse_sdist_filename, parse_wheel_filename

HEADER = """# The whole dependency tree of sitroom, pinned with hashes, for CPython 3.11 on linux x86_64.
# Installed by `make install` with --require-hashes. Regenerate with `make lock`.
"""
NOT_LOCKED = {"sitroom", "pip"}


def installed_pins() -> list[str]:
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
                            check=True, capture_output=True, text=True).stdout.splitlines()
    pins = []
    for line in frozen:
        name = line.split("==")[0].split(" @ ")[0].strip()
        if name.lower() in NOT_LOCKED or not name:
            continue
        version = line.split("==", 1)[1] if "==" in line else subprocess.run(
            [sys.executable, "-m", "pip", "show", name], check=True, capture_output=True, text=True
        ).stdout.split("Version: ", 1)[1].split()[0]
        pins.append(f"{name}=={version}")
    return pins


def main() -> None:
    pins = installed_pins()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", folder, *pins], check=True)
        entries = []
        for path in sorted(Path(folder).iterdir()):
            parse = parse_wheel_filename if path.name.endswith(".whl") else parse_sdist_filename
            name, version = parse(path.name)[:2]
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            entries.append(f"{name}=={version} \\\n    --hash=sha256:{digest}")
    Path("requirements.lock").write_text(HEADER + "\n" + "\n".join(entries) + "\n")
    print(f"requirements.lock: {len(entries)} distributions")


if __name__ == "__main__":
    main()
