"""A municipal 科协's site from the same project: 郑州市科协 (production settings; see docs/subsite.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publishconf import *  # noqa: E402, F403
from publishconf import PLUGINS  # noqa: E402

# Who runs this site: the footer, the 网页标签 meta tags and the default 来源 of every article.
SITENAME = "郑州市科学技术协会"
SITE_ORGANISATION = "郑州市科学技术协会"
SITE_SHORT_NAME = "郑州市科协"
SITE_DESCRIPTION = "郑州市科学技术协会网站：科协要闻、通知公告、基层动态与科学普及。"
SITE_DOMAIN = "kx.zhengzhou.example"
SITE_FOOTER = {
    "host": "郑州市科学技术协会",  # 主办单位
    "organiser": "郑州市科学技术协会办公室",  # 承办单位
    "address": "郑州市中原区市政府大院",
    "postcode": "450007",
    "phone": "0371-67180000",
    "email": "kexie@zhengzhou.example",
    "icp": "豫ICP备00000001号-1",
    "icp_url": "https://beian.miit.gov.cn/",
    "police": "豫公网安备 41010202000001号",
    "police_url": "https://beian.mps.gov.cn/#/query/webSearch?code=41010202000001",
    "site_code": "",
    "party_mark": False,
}
# 网站找错 mails go to the city's own office, not the province's.
ERROR_REPORT_EMAIL = "kexie@zhengzhou.example"

# Absolute only where a standard wants it (feeds, API, canonical); pages still link relatively.
SITEURL = os.environ.get("SITEURL", "https://kx.zhengzhou.example")
SITE_ABSOLUTE_URL = SITEURL
FEED_DOMAIN = SITEURL

# The city's own content tree (content/ with data/, articles/ …) and output; SUBSITE_CONTENT moves it.
PATH = os.environ.get("SUBSITE_CONTENT", str(ROOT / "subsite" / "zhengzhou" / "content"))
OUTPUT_PATH = str(ROOT / "output-zhengzhou")
# Paths in a settings file are read from the file's folder (subsite/): these live at the project's root.
THEME = str(ROOT / "theme")
PLUGIN_PATHS = [str(ROOT / "plugins")]

# The provincial site pulls this site's feeds, so a sub-site always builds them, whatever the main settings list.
PLUGINS = [*PLUGINS, *(name for name in ("feeds", "api", "wechat") if name not in PLUGINS)]
FEED_ALL_ATOM = None  # written by the feeds plugin, with absolute links inside
CATEGORY_FEED_ATOM = None
