"""The sample site's values that a live site must replace, found in the publish settings and the deploy variables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parents[2]
# Domains reserved for examples and tests (RFC 2606, RFC 6761): no live site has one.
_EXAMPLE_HOST = re.compile(r"(^|\.)(example|example\.(com|net|org)|test|invalid|localhost)$", re.IGNORECASE)
_EXAMPLE_DOMAIN_IN_TEXT = re.compile(r"(?<![\w-])(?:[\w-]+\.)*(?:example(?:\.(?:com|net|org))?)(?![\w.-])")
# The sample site ships these; the deploy variables' defaults are in the Makefile.
SAMPLE = {
    "host": "河南省科学技术协会",
    "cms_repo": "hnast/kexie-press-site",
    "ssh_host": "www.example.org",
    "ssh_user": "deploy",
    "ssh_target_dir": "/var/www/site",
    "party_mark": "theme/img/party-mark-sample.svg",
}
_ZEROS = re.compile(r"0{6,}")  # 豫ICP备00000000号-1, 41010502000000: numbers no registry issued


def is_example_host(host: str) -> bool:
    return not host or bool(_EXAMPLE_HOST.search(host.strip().rstrip(".")))


@dataclass(frozen=True)
class Finding:
    """One setting still at its example value: where it is, what it holds, and what to put there."""

    key: str  # the name GOLIVE_CONFIRMED takes, when the value may be right for a site
    setting: str
    where: str
    value: str
    todo_zh: str
    todo_en: str
    confirmable: bool = False


@dataclass(frozen=True)
class Server:
    """The deploy variables of the Makefile, as make passes them."""

    deploy: str = "rsync_upload"
    host: str = ""
    user: str = ""
    target_dir: str = ""


def _file_of(name: str) -> str:
    """The settings file that sets `name`: publishconf.py when it does, else pelicanconf.py."""
    for file in ("publishconf.py", "pelicanconf.py"):
        if re.search(rf"^{re.escape(name)}\s*[:=]", (PROJECT / file).read_text(encoding="utf-8"), re.MULTILINE):
            return file
    return "pelicanconf.py"


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, f'{path}["{key}"]')
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            yield from _strings(inner, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def findings(settings: dict[str, Any], server: Server) -> list[Finding]:
    """Every setting that still holds an example value, less those GOLIVE_CONFIRMED says are right as they are."""
    found: list[Finding] = []
    footer = settings.get("SITE_FOOTER") or {}
    siteurl = str(settings.get("SITEURL") or "")
    site_host = urlsplit(siteurl).hostname or ""
    if is_example_host(site_host) or urlsplit(siteurl).scheme not in ("https", "http"):
        found.append(
            Finding(
                "siteurl",
                "SITEURL",
                "publishconf.py（或构建时的环境变量 SITEURL · or the SITEURL environment variable of the build）",
                siteurl,
                "本站的正式网址，如 https://www.本单位域名.cn。规范链接、站点地图、订阅和分享卡片都用它。"
                "GitHub 发布时设仓库变量 SITEURL（Settings → Secrets and variables → Actions → Variables）。",
                "The site's public address, e.g. https://www.<your-domain>.cn: canonical links, the sitemap, feeds and "
                "share cards use it. For the GitHub deploy, set the repository variable SITEURL.",
            )
        )
    domain = str(settings.get("SITE_DOMAIN") or "")
    if is_example_host(domain) or (site_host and not is_example_host(site_host) and domain != site_host):
        found.append(
            Finding(
                "domain",
                "SITE_DOMAIN",
                "pelicanconf.py",
                domain,
                f"本站域名，与 SITEURL 的域名相同{f'（{site_host}）' if not is_example_host(site_host) else ''}；"
                "网页标签 SiteDomain 用它。",
                "The site's domain, the same as SITEURL's; the SiteDomain meta tag uses it.",
            )
        )
    if not footer.get("host") or footer.get("host") == SAMPLE["host"]:
        found.append(
            Finding(
                "host",
                'SITE_FOOTER["host"]（主办单位）',
                "pelicanconf.py",
                str(footer.get("host", "")),
                "主办单位的全称，页脚和网页标签都显示它。",
                "The full name of the host institution (主办单位), shown in the footer and the meta tags.",
                confirmable=True,
            )
        )
    icp = str(footer.get("icp") or "")
    if not icp or _ZEROS.search(icp):
        found.append(
            Finding(
                "icp",
                'SITE_FOOTER["icp"]（ICP备案号）',
                "pelicanconf.py",
                icp,
                "工信部核发的 ICP 备案号，如“豫ICP备12345678号-1”（https://beian.miit.gov.cn/ 可查）。",
                "The ICP number the MIIT issued, e.g. 豫ICP备12345678号-1 (see https://beian.miit.gov.cn/).",
                confirmable=True,
            )
        )
    police = str(footer.get("police") or "")
    if _ZEROS.search(police):
        found.append(
            Finding(
                "police",
                'SITE_FOOTER["police"]（公安备案号）',
                "pelicanconf.py",
                police,
                '公安机关核发的备案号，并改好 police_url；没有公安备案号时写空字符串 ""。',
                'The public-security filing number, and its police_url; "" when the site has none.',
            )
        )
    if not footer.get("site_code"):
        found.append(
            Finding(
                "site_code",
                'SITE_FOOTER["site_code"]（网站标识码）',
                "pelicanconf.py",
                "",
                "政府网站的网站标识码（10 位，如 4100000001）；页脚和网页标签 SiteIDCode 显示它。",
                "The government website ID code (10 digits); the footer and the SiteIDCode meta tag show it.",
                confirmable=True,
            )
        )
    mark = footer.get("party_mark")
    if isinstance(mark, dict) and str(mark.get("image", "")) == SAMPLE["party_mark"]:
        found.append(
            Finding(
                "party_mark",
                'SITE_FOOTER["party_mark"]（党政机关标识）',
                "pelicanconf.py",
                str(mark.get("image", "")),
                "本网站获发的党政机关标识图片（放在 theme/static/ 下）和核验地址 url；本站没有这一标识时写 False。",
                "The 党政机关 emblem issued to the site (a file under theme/static/) and its verifying url; "
                "False when the site has none.",
            )
        )
    repo = str(settings.get("CMS_REPO") or "")
    if not repo or repo == SAMPLE["cms_repo"]:
        found.append(
            Finding(
                "cms_repo",
                "CMS_REPO",
                "publishconf.py（或环境变量 CMS_REPO · or the CMS_REPO environment variable）",
                repo,
                "网页编辑器 /admin/ 写入的 GitHub 仓库，“组织/仓库名”，如 本单位组织/kexie-site（docs/网页编辑.md）。",
                "The GitHub repository /admin/ writes to, as owner/name (docs/网页编辑.md).",
                confirmable=True,
            )
        )
    if server.deploy == "rsync_upload":
        found += _server_findings(server)
    found += _example_domains(settings, siteurl, {"SITEURL", "SITE_DOMAIN"})
    confirmed = set(settings.get("GOLIVE_CONFIRMED") or ())
    return [f for f in found if not (f.confirmable and f.key in confirmed)]


def _server_findings(server: Server) -> list[Finding]:
    def where(setting: str) -> str:
        return f"Makefile（或命令行 · or the command line: make … {setting}=…）"

    found = []
    if is_example_host(server.host):
        found.append(
            Finding(
                "ssh_host",
                "SSH_HOST",
                where("SSH_HOST"),
                server.host,
                "本单位网站服务器的域名或 IP 地址（make rsync_upload 和 make release 发布到这里）。",
                "The office's web server, by name or IP address (make rsync_upload and make release deploy there).",
            )
        )
    for key, setting, zh, en in (
        ("ssh_user", "SSH_USER", "服务器上负责发布的用户名", "The user that deploys on the server"),
        (
            "ssh_target_dir",
            "SSH_TARGET_DIR",
            "服务器上网站的根目录（nginx 的 root）",
            "The site's folder on the server",
        ),
    ):
        value = getattr(server, key.removeprefix("ssh_"))
        if value == SAMPLE[key]:
            found.append(Finding(key, setting, where(setting), value, f"{zh}。", f"{en}.", confirmable=True))
    return found


def _example_domains(settings: dict[str, Any], siteurl: str, reported: set[str]) -> list[Finding]:
    """Any other setting that names an example domain: an address, a link, an e-mail address."""
    found = []
    for name in sorted(settings):
        if not name.isupper() or name in reported:
            continue
        for path, text in _strings(settings[name], name):
            if text == siteurl or not _EXAMPLE_DOMAIN_IN_TEXT.search(text):
                continue  # SITEURL's copies (FEED_DOMAIN, SITE_ABSOLUTE_URL) follow it
            found.append(
                Finding(
                    path.lower(),
                    path,
                    _file_of(name),
                    text,
                    "本单位真实的地址：示例域名（.example、example.org 等）在互联网上不存在。",
                    "A real address of the office: example domains (.example, example.org, …) do not exist.",
                )
            )
    return found
