"""Web editing at /admin/: Decap CMS, self-hosted from node_modules, configured from the content model."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import shutil
from pathlib import Path
from string import Template
from typing import Any

from pelican import signals

from content_model.site import Site
from publishing import model_state

log = logging.getLogger(__name__)

PROJECT = Path(__file__).resolve().parents[2]
STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_DECAP = PROJECT / "node_modules" / "decap-cms"
ADMIN = "admin"


def decap_files(dist: Path) -> list[Path]:
    """The files decap-cms.js needs: itself, its license, the chunks and wasm it loads on demand; no source maps.

    dist/ also holds cms.js and its chunks, the same build under another name, which nothing here loads.
    """
    files = [dist / "decap-cms.js", dist / "decap-cms.js.LICENSE.txt"]
    files += sorted(dist.glob("*.decap-cms.js"))
    files += sorted(dist.glob("*.wasm"))
    return [p for p in files if p.is_file()]


def decap_version(package: Path) -> str:
    return json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]


def copy_decap(package: Path, target: Path) -> list[Path]:
    """Copy Decap into a folder named by its version, so that no browser mixes an old cached chunk with a new one."""
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in decap_files(package / "dist"):
        destination = target / source.name
        shutil.copyfile(source, destination)
        copied.append(destination)
    return copied


def write_admin(settings: dict[str, Any], site: Site, output: Path) -> Path | None:
    """Write output/admin/: index.html, cms-init.js, config.yml and Decap's files. None when Decap is missing."""
    # Imported here, not at the top, so that `python -m cms.config` runs that module only once.
    from .config import config_from_settings, dump

    package = Path(settings.get("CMS_DECAP_PACKAGE") or DEFAULT_DECAP)
    if not (package / "dist" / "decap-cms.js").is_file():
        log.warning("decap-cms 未安装，未生成 /admin/：请运行 npm ci。decap-cms is not installed: run npm ci.")
        return None
    admin = output / ADMIN
    version = decap_version(package)
    folder = f"decap-cms-{version}"
    copy_decap(package, admin / folder)
    publish = bool(settings.get("PUBLISH_BUILD"))
    config = config_from_settings(settings, site, backend="github" if publish else "local", root=site.repo_root)
    (admin / "config.yml").write_text(dump(config), encoding="utf-8")
    init = (STATIC / "cms-init.js").read_bytes()
    (admin / "cms-init.js").write_bytes(init)
    articles = [c["name"] for c in config["collections"] if c["name"].startswith(("section-", "column-"))]
    page = Template((STATIC / "index.html").read_text(encoding="utf-8")).substitute(
        sitename=html.escape(str(settings.get("SITENAME", ""))),
        article_collections=html.escape(" ".join(articles)),
        decap_script=f"{folder}/decap-cms.js",
        # cms-init.js keeps its name; the query changes with its content, so a cached old copy is never used.
        init_version=hashlib.sha256(init).hexdigest()[:12],
    )
    (admin / "index.html").write_text(page, encoding="utf-8")
    if publish and not config["backend"].get("repo"):
        log.warning("CMS_REPO 未设置，/admin/ 无法登录 GitHub。Set CMS_REPO (owner/name) for /admin/.")
    return admin


def _finalized(pelican: Any) -> None:
    write_admin(pelican.settings, model_state.current(), Path(pelican.output_path))


def register() -> None:
    signals.finalized.connect(_finalized)
