"""The publish mark from make: `forget` and `seal` around a publish build, `verify` and `describe` before deploying."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from content_model.times import SITE_TZ

from . import mark


def check_as_built(root: Path, built: dict) -> int:
    """The content checker, again, at the time the publish build judged embargoes by."""
    from content_model.check import main as check

    now = datetime.datetime.fromisoformat(built["now"]).astimezone(SITE_TZ)
    return check(["--root", str(root), "--format", "text", "--files", "", "--site-now", f"{now:%Y-%m-%d %H:%M:%S}"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="正式构建的发布标记 The mark of a publish build")
    parser.add_argument("action", choices=["forget", "seal", "verify", "describe"])
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository the site was built from")
    args = parser.parse_args(argv)
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
