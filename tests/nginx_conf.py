"""docs/nginx.conf as the tests read it: the content security policies it sends, by path."""

from __future__ import annotations

import re

from tests.sites import PROJECT

CONFIG = PROJECT / "docs/nginx.conf"
_MAP = re.compile(r"map \$uri \$content_security_policy \{(.*?)\n\}", re.DOTALL)
_ENTRY = re.compile(r'^\s*(\S+)\s+"([^"]+)";', re.MULTILINE)


def policies() -> dict[str, str]:
    """The map's entries: "default", "~^/wechat/", "~^/admin/" → the policy sent for those paths."""
    block = _MAP.search(CONFIG.read_text(encoding="utf-8"))
    assert block, "docs/nginx.conf has no map of $content_security_policy"
    return dict(_ENTRY.findall(block.group(1)))


def policy(prefix: str | None = None) -> str:
    """The policy of pages under `prefix` (e.g. "/admin/"), or of every other page."""
    return policies()["default" if prefix is None else f"~^{prefix}"]
