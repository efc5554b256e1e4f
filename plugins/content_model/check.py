"""`make check`: the content checker, with the publish build's rules and exit codes 0, 1 and 2."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .attest import AttestError, attestation
from .problems import FORMATTERS, Problems, format_github_changed
from .site import Options, Site, load_site
from .times import BadTime, parse_time, site_now

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad FORMAT, FILES or SITE_NOW: the command was called wrongly, the content may be fine."""


def options_from_settings(settings: dict, *, strict: bool, now_text: str | None = None) -> Options:
    """The rule options a Pelican settings dict implies."""
    try:
        now = site_now(now_text)
    except BadTime as error:
        raise UsageError(
            f"SITE_NOW 格式应为 YYYY-MM-DD HH:MM，现在是“{error}”。\nSITE_NOW must be YYYY-MM-DD HH:MM, not `{error}`."
        ) from error
    return Options(
        strict=strict,
        organisation=settings.get("SITE_ORGANISATION", "河南省科学技术协会"),
        iframe_hosts=tuple(settings.get("IFRAME_HOSTS", ())),
        markdown=settings.get("MARKDOWN"),
        now=now,
        stale_column_days=int(settings.get("STALE_COLUMN_DAYS", 90)),
        backdate_days=int(settings.get("BACKDATE_DAYS", 7)),
        backdate_since=parse_time(settings["BACKDATE_SINCE"]) if settings.get("BACKDATE_SINCE") else None,
        cache_path=Path(settings["TEXT_CACHE_PATH"]) if settings.get("TEXT_CACHE_PATH") else None,
    )


def year_option(text: str, current: int) -> int:
    """YEAR as given to make (`make report`, `make audit`): empty means the current year."""
    text = text.strip()
    if not text:
        return current
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise UsageError(
            f"YEAR 应为四位数字的年份，例如 2020，现在是“{text}”。\nYEAR must be a year such as 2020, not `{text}`."
        )
    return int(text)


PROJECT_ROOT = Path(__file__).resolve().parents[2]


def read_publish_settings() -> dict:
    """The publish build's settings: the checker judges by exactly the rules that build applies."""
    from pelican.settings import read_settings

    return read_settings(str(PROJECT_ROOT / "publishconf.py"))


def read_changed(name: str) -> set[str]:
    """The files a pull request changes, from `git diff -z --name-only` (NUL-separated) or one path a line; - is stdin.

    Paths are taken as git writes them, so that Chinese names, spaces and quotes need no shell quoting.
    """
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        raise UsageError(
            f"CHANGED 指定的文件无法读取：{name}\nThe file given as CHANGED cannot be read: {name}"
        ) from error
    text = data.decode("utf-8", errors="surrogateescape")
    paths = text.split("\0") if "\0" in text else text.splitlines()
    return {path.removeprefix("./") for path in paths if path}


def run_check(
    repo_root: Path,
    files: list[str],
    fmt: str,
    now_text: str | None,
    *,
    changed: set[str] | None = None,
    attest: str = "",
    base: str = "",
    approvals: str = "",
) -> tuple[int, str, Site | None]:
    """Check the whole site; report on `files` (all when empty); annotate only `changed` files when given.

    With `attest` (1, or only for the attestation alone), also prove the reviews of the items changed after `base`.
    """
    if fmt not in FORMATTERS:
        raise UsageError(
            f"FORMAT 只能是 text、github 或 json，现在是“{fmt}”。\nFORMAT must be text, github or json, not `{fmt}`."
        )
    if changed is not None and fmt != "github":
        raise UsageError(
            "CHANGED 只用于拉取请求上的注释，须与 FORMAT=github 一起使用。\n"
            "CHANGED chooses the files a pull request annotates: use it with FORMAT=github."
        )
    settings = read_publish_settings()
    options = options_from_settings(settings, strict=True, now_text=now_text)
    content_root = repo_root / "content"
    wanted: set[str] = set()
    for name in files:
        path = (repo_root / name).resolve()
        if not path.exists():
            raise UsageError(f"FILES 中的文件不存在：{name}\nA file in FILES does not exist: {name}")
        try:
            wanted.add(path.relative_to(repo_root.resolve()).as_posix())
        except ValueError as error:
            raise UsageError(
                f"FILES 中的文件不在本项目中：{name}\nA file in FILES is outside the project: {name}"
            ) from error
    site = load_site(content_root, repo_root, options)
    problems: Problems = site.problems
    if attest not in ("", "0"):
        try:
            found = attestation(site, attest, base, approvals)
        except AttestError as error:
            raise UsageError(str(error)) from error
        problems = found if attest == "only" else Problems([*problems.items, *found.items])
    problems = problems.only_files(wanted) if wanted else problems
    report = format_github_changed(problems, changed) if changed is not None else FORMATTERS[fmt](problems)
    return (EXIT_CONTENT if problems.errors else EXIT_OK), report, site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查稿件 Check the content")
    parser.add_argument("--root", default=os.environ.get("SITE_ROOT", "."))
    parser.add_argument("--format", default=os.environ.get("FORMAT") or "text")
    parser.add_argument("--files", default=os.environ.get("FILES", ""))
    parser.add_argument("--changed", default=os.environ.get("CHANGED", ""))
    parser.add_argument("--site-now", default=None)
    parser.add_argument("--attest", default="", help="1, or only: prove the reviews")
    parser.add_argument("--base", default="", help="a commit, or deployed")
    parser.add_argument("--approvals", default="", help="pull-request approvals read by content_model.github_reviews")
    args = parser.parse_args(argv)
    try:
        changed = read_changed(args.changed) if args.changed else None
        code, report, _site = run_check(
            Path(args.root),
            args.files.split(),
            args.format,
            args.site_now,
            changed=changed,
            attest=args.attest,
            base=args.base,
            approvals=args.approvals,
        )
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:
        print(
            f"检查程序内部出错（不是稿件的问题），请联系网站管理员：{type(error).__name__}: {error}\n"
            f"The checker failed internally (not a content problem); tell the site's maintainers: "
            f"{type(error).__name__}: {error}",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    if report:
        print(report)
    return code


if __name__ == "__main__":
    sys.exit(main())
