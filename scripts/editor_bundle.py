"""The web editor's bundle alone, for builds: decap-cms at the version and integrity package-lock.json pins.

A build copies only decap-cms's own dist/ files to /admin/ (plugins/cms). `npm ci` would also install the packages
decap-cms is built from, some 380 MB that no build reads; those, decap-server and the Nu Html Checker come with the
full `npm ci` that `make cms` and `make test` run from the same lock.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "decap-cms"


class BundleError(Exception):
    """Why the bundle could not be installed; Chinese first, then English."""


def pinned(lock: Path) -> tuple[str, str]:
    """The version and integrity (sha512) the lock gives the editor's package."""
    entry = json.loads(lock.read_text(encoding="utf-8"))["packages"][f"node_modules/{PACKAGE}"]
    return entry["version"], entry["integrity"]


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def fetch(version: str, folder: Path) -> Path:
    """The package's tarball, fetched by npm itself: its registry, proxy and cache settings apply."""
    command = ["npm", "pack", f"{PACKAGE}@{version}", "--json", "--loglevel=error", "--pack-destination", str(folder)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BundleError("找不到 npm：请安装 Node.js（含 npm）。 npm is missing: install Node.js with npm.") from error
    if done.returncode != 0:
        raise BundleError(
            f"npm 未能下载 {PACKAGE}@{version}：{done.stderr.strip()}\nnpm could not fetch {PACKAGE}@{version}."
        )
    return folder / json.loads(done.stdout)[0]["filename"]


def unpack(tarball: Path, target: Path) -> None:
    """Unpack npm's `package/` folder as `target`, in place of what was there; only plain files and folders."""
    staging = Path(tempfile.mkdtemp(prefix=f".{PACKAGE}-", dir=target.parent))
    try:
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.isfile() or m.isdir()]
            if any(m.name.startswith("/") or ".." in Path(m.name).parts for m in members):
                raise BundleError(f"{tarball.name} 中有越出文件夹的路径。 {tarball.name} has a path that leaves it.")
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
                archive.extractall(staging, members=members, filter="data")
            else:  # pragma: no cover - the members were vetted above
                archive.extractall(staging, members=members)
        if target.exists():
            shutil.rmtree(target)
        (staging / "package").rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def install(root: Path = ROOT) -> Path:
    version, integrity = pinned(root / "package-lock.json")
    modules = root / "node_modules"
    modules.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tarball = fetch(version, Path(folder))
        if integrity_of(tarball.read_bytes()) != integrity:
            raise BundleError(
                f"{PACKAGE}@{version} 的校验值与 package-lock.json 不符，未安装。\n"
                f"{PACKAGE}@{version} does not match the integrity in package-lock.json; nothing was installed."
            )
        unpack(tarball, modules / PACKAGE)
    return modules / PACKAGE


def main() -> int:
    try:
        path = install()
    except BundleError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"网页编辑器 the web editor: {path.relative_to(ROOT)} ({PACKAGE} {pinned(ROOT / 'package-lock.json')[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
