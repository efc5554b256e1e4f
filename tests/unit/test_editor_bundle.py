"""scripts/editor_bundle.py: a build gets decap-cms alone, and only the tarball package-lock.json's integrity names."""

from __future__ import annotations

import io
import json
import os
import stat
import tarfile
from pathlib import Path

import pytest
from scripts import editor_bundle

from tests.sites import PROJECT


def tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


GOOD = tarball(
    {
        "package/package.json": b'{"name": "decap-cms", "version": "3.16.3"}',
        "package/dist/decap-cms.js": b"/* the bundle */",
    }
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose lock pins decap-cms, and an `npm` on PATH that packs `served` as npm pack would."""
    root = tmp_path / "project"
    root.mkdir()
    pinned = {"version": "3.16.3", "integrity": editor_bundle.integrity_of(GOOD)}
    lock = {"packages": {"node_modules/decap-cms": pinned}}
    (root / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    shims = tmp_path / "bin"
    shims.mkdir()
    npm = shims / "npm"
    npm.write_text(
        "#!/bin/sh\n"
        "# npm pack <spec> --json --loglevel=error --pack-destination <folder>\n"
        f'cp "{tmp_path / "served.tgz"}" "$6/decap-cms-3.16.3.tgz"\n'
        'echo \'[{"filename": "decap-cms-3.16.3.tgz"}]\'\n',
        encoding="utf-8",
    )
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{shims}{os.pathsep}{os.environ['PATH']}")
    return root


def test_the_pinned_bundle_is_unpacked_in_place_of_an_older_one(project: Path, tmp_path: Path) -> None:
    (tmp_path / "served.tgz").write_bytes(GOOD)
    old = project / "node_modules/decap-cms/dist/old.js"
    old.parent.mkdir(parents=True)
    old.write_text("old", encoding="utf-8")
    path = editor_bundle.install(project)
    assert (path / "dist/decap-cms.js").read_bytes() == b"/* the bundle */"
    assert not old.exists()
    assert sorted(p.name for p in (project / "node_modules").iterdir()) == ["decap-cms"]


def test_a_tarball_that_is_not_the_locked_one_is_refused(project: Path, tmp_path: Path) -> None:
    (tmp_path / "served.tgz").write_bytes(tarball({"package/dist/decap-cms.js": b"/* tampered */"}))
    with pytest.raises(editor_bundle.BundleError, match=r"package-lock\.json"):
        editor_bundle.install(project)
    assert not (project / "node_modules/decap-cms").exists()


def test_a_path_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.tgz"
    hostile.write_bytes(tarball({"package/../../outside.js": b"x", "package/dist/decap-cms.js": b"y"}))
    target = tmp_path / "node_modules/decap-cms"
    target.parent.mkdir()
    with pytest.raises(editor_bundle.BundleError):
        editor_bundle.unpack(hostile, target)
    assert not (tmp_path / "outside.js").exists() and not target.exists()


def test_the_project_lock_pins_the_editor() -> None:
    version, integrity = editor_bundle.pinned(PROJECT / "package-lock.json")
    package = json.loads((PROJECT / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"] == {"decap-cms": version} and integrity.startswith("sha512-")
    assert set(package["devDependencies"]) == {"decap-server", "vnu-jar"}
