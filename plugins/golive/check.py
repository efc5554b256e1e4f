"""`make golive-check`: list every setting still at the sample site's value, with where it is and what to put."""

from __future__ import annotations

import argparse
import sys

from content_model.check import read_publish_settings

from .examples import Finding, Server, findings

EXIT_READY, EXIT_NOT_READY = 0, 1


def report(found: list[Finding]) -> str:
    """The list, Chinese first, then English, one block per setting."""
    if not found:
        return "上线检查通过：没有设置还是示例值。 Go-live check passed: no setting holds an example value."
    lines = [
        f"上线检查未通过：还有 {len(found)} 项设置是示例值，请逐项改好（见 docs/部署指南.md 的上线清单）。",
        f"Go-live check failed: {len(found)} setting(s) still hold example values (docs/部署指南.md, the checklist).",
        "",
    ]
    for number, finding in enumerate(found, 1):
        lines.append(f"{number}. {finding.setting} · {finding.where}")
        lines.append(f"   现在 now: {finding.value or '（空 empty）'}")
        lines.append(f"   改为：{finding.todo_zh}")
        lines.append(f"   Put: {finding.todo_en}")
        if finding.confirmable:
            kept_zh, kept_en = (
                ("本站确实没有这一项时", "If the site has none")
                if not finding.value
                else ("现在的值确实是本站的时", "If the value is right for this site")
            )
            lines.append(
                f'   {kept_zh}，在 pelicanconf.py 的 GOLIVE_CONFIRMED 中加上 "{finding.key}"。'
                f' {kept_en}, add "{finding.key}" to GOLIVE_CONFIRMED in pelicanconf.py.'
            )
    return "\n".join(lines)


def server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--deploy", default="rsync_upload", help="DEPLOY: rsync_upload or github")
    parser.add_argument("--ssh-host", default="")
    parser.add_argument("--ssh-user", default="")
    parser.add_argument("--ssh-target-dir", default="")


def server_of(args: argparse.Namespace) -> Server:
    return Server(deploy=args.deploy, host=args.ssh_host, user=args.ssh_user, target_dir=args.ssh_target_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="上线检查 Go-live check")
    server_arguments(parser)
    args = parser.parse_args(argv)
    found = findings(read_publish_settings(), server_of(args))
    print(report(found))
    return EXIT_NOT_READY if found else EXIT_READY


if __name__ == "__main__":
    sys.exit(main())
