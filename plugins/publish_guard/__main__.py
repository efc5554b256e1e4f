"""The publish mark from make: `forget` and `seal` around a publish build, `verify` and `describe` before deploying."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from content_model.times import SITE_TZ

from . import due, mark

# `due`: build, nothing to build, a bad option.
EXIT_BUILD, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2


def check_as_built(root: Path, built: dict) -> int:
    """The content checker, again, at the time the publish build judged embargoes by."""
    from content_model.check import main as check

    now = datetime.datetime.fromisoformat(built["now"]).astimezone(SITE_TZ)
    return check(["--root", str(root), "--format", "text", "--files", "", "--site-now", f"{now:%Y-%m-%d %H:%M:%S}"])


def report_due(root: Path, output: Path, since_text: str) -> int:
    """0 when a build is needed (something came due, the content changed, no deploy is known), 1 when not, 2 on
    a bad --since. A scheduled run calls this before it builds."""
    from content_model.check import UsageError, options_from_settings, read_publish_settings
    from content_model.site import load_site
    from content_model.times import BadTime, parse_time

    head = mark.source_of(root).commit
    if since_text == "deployed":
        last = due.last_deploy(root, output)
        if last is None:
            print("找不到上次发布的记录（.deployed-commit 与 output/ 的发布标记，或 gh-pages 上的）：需要构建。")
            print("No record of the last deploy (.deployed-commit and output/'s mark, or the mark on gh-pages): build.")
            return EXIT_BUILD
        if last.commit != head:
            print(f"上次发布以来内容有改动（提交 {str(last.commit)[:12]} → {str(head)[:12]}）：需要构建。")
            print(f"The repository changed since the last deploy ({str(last.commit)[:12]} → {str(head)[:12]}): build.")
            return EXIT_BUILD
        since = last.now
    else:
        try:
            since = parse_time(since_text)
        except BadTime:
            print(
                f"--since 应为 YYYY-MM-DD HH:MM 或 deployed，现在是“{since_text}”。\n"
                f"--since must be YYYY-MM-DD HH:MM or deployed, not `{since_text}`.",
                file=sys.stderr,
            )
            return EXIT_USAGE
    try:
        options = options_from_settings(read_publish_settings(), strict=True)
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    assert options.now is not None
    found = due.came_due(load_site(root / "content", root, options), since, options.now)
    window = f"{since.astimezone(SITE_TZ):%Y-%m-%d %H:%M} → {options.now:%Y-%m-%d %H:%M}"
    if not found:
        print(f"上次发布以来没有到点的内容，不必构建（{window}）。")
        print(f"Nothing came due since the last deploy, and nothing changed: no build needed ({window}).")
        return EXIT_NOTHING
    print(f"上次发布以来到点的内容，需要构建（{window}）：")
    print(f"Came due since the last deploy, so a build is needed ({window}):")
    for item in found:
        print(item.line_text())
    return EXIT_BUILD


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="正式构建的发布标记 The mark of a publish build")
    parser.add_argument("action", choices=["forget", "seal", "verify", "describe", "due"])
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository the site was built from")
    parser.add_argument(
        "--since", default="deployed", help="due: the last deploy's build time, or `deployed` to read its mark"
    )
    args = parser.parse_args(argv)
    if args.action == "due":
        return report_due(args.root, args.output, args.since)
    try:
        if args.action == "forget":
            mark.remove(args.output)
        elif args.action == "seal":
            sealed = mark.seal(args.output)
            print(f"已标记为可发布 marked for deployment: {mark.describe(sealed)}, {sealed['files']} files")
        elif args.action == "describe":
            print(mark.describe(mark.read(args.output)))
        else:
            built = mark.verify(args.output, args.root)
            if check_as_built(args.root, built) != 0:
                print(
                    "稿件检查未通过，不发布。 The content check failed: nothing was deployed.",
                    file=sys.stderr,
                )
                return 1
            print(f"可以发布 ready to deploy: {args.output} 正式构建 publish build {mark.describe(built)}")
    except mark.Refused as refused:
        print(refused, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
