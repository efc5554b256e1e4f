"""Development (preview) settings: drafts and embargoed items are shown, with a banner and noindex."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jinja2 import select_autoescape

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from content_model import tree as content_tree  # noqa: E402

# The site's identity, shown in the footer and the 网页标签 meta tags.
SITENAME = "河南省科学技术协会"
SITE_ORGANISATION = "河南省科学技术协会"
SITE_SHORT_NAME = "河南省科协"
SITE_DESCRIPTION = "河南省科学技术协会门户网站：科协要闻、通知公告、基层动态、科学普及与人才服务。"
SITE_DOMAIN = "www.hnast.example"
SITE_FOOTER = {
    "host": "河南省科学技术协会",  # 主办单位
    "organiser": "河南省科学技术协会调研宣传部",  # 承办单位
    "address": "郑州市金水区政七街 25 号",
    "postcode": "450003",
    "phone": "0371-65951234",
    "email": "xuanchuan@hnast.example",
    "icp": "豫ICP备00000000号-1",  # ICP备案号
    "icp_url": "https://beian.miit.gov.cn/",
    "police": "豫公网安备 41010502000000号",  # 公安备案号
    "police_url": "https://beian.mps.gov.cn/#/query/webSearch?code=41010502000000",
    "site_code": "",  # 网站标识码, for sites that have one issued: shown in the footer and the SiteIDCode meta tag
    # 党政机关标识: the emblem issued with the site's registration (a file under theme/static/, as the site serves it),
    # its alt text, its size in CSS pixels, and the page that verifies it; False for a site that has none. The sample
    # image is a placeholder, not the registered emblem: replace it with the one issued to the site.
    "party_mark": {
        "image": "theme/img/party-mark-sample.svg",
        "alt": "党政机关标识（示例图片）",
        "width": 48,
        "height": 56,
        "url": "",
    },
}
# `make golive-check` fails while a setting holds the sample site's value. List here the ones whose sample value is
# right for this site as it is, e.g. ["host"] for the 河南省科协 itself, or "site_code" for a site without one.
GOLIVE_CONFIRMED: list[str] = []
# 网站找错: the address every page's 网站找错 link writes to, with the page's title and address filled in.
# Empty: no such link. `make golive-check` checks it is a real address before the site goes live.
ERROR_REPORT_EMAIL = "zhaocuo@hnast.example"

PATH = "content"
THEME = "theme"
OUTPUT_PATH = "output"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
DEFAULT_DATE_FORMAT = "%Y-%m-%d %H:%M"
SITEURL = ""
SITE_ABSOLUTE_URL = os.environ.get("SITEURL", "")
RELATIVE_URLS = True
PUBLISH_BUILD = False
# Hosts whose iframes the body may embed; empty: video is published as a self-hosted <video>.
IFRAME_HOSTS: list[str] = []
# Editorial warnings: a column with nothing new for this many days; an article dated this many days
# before the commit that added it (伪造发稿日期).
STALE_COLUMN_DAYS = 90
BACKDATE_DAYS = 7
# Files first committed before this moment are history brought over from the old site: not judged.
BACKDATE_SINCE = "2026-12-05"
# Who must approve a pull request (`make codeowners` writes .github/CODEOWNERS): the office owns content/ and the
# registries in content/data/, the maintainers the build (theme/, plugins/, .github/, Makefile, settings); each
# section's, column's and topic's `editors` own its folder and file. GitHub teams (@org/team) or users.
CODEOWNERS_OFFICE = ["@hnast/press-office"]
CODEOWNERS_MAINTAINERS = ["@hnast/site-maintainers"]

# 站内搜索: a preview may skip the index to build faster (the /search/ page then says so); a publish build
# always indexes.
SEARCH_INDEX = False

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "rendering",  # first: it renders the pages at `finalized`, before the other plugins' receivers
    "publish_guard",  # next: it removes the publish mark before anything is read, and collects a publish build's errors
    "publishing",
    "relations",
    "listings",
    "columns",
    "topics",
    "people",
    "events",
    "stats",
    "assets",
    "galleries",
    "search",
    "feeds",
    "api",
    "wechat",
    "pelican.plugins.sitemap",
    "cms",
]

# Content comes only through our reader; nothing is copied from content/ as it is.
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
READERS = {"html": None, "htm": None, "rst": None}
# Editors' and operating systems' leftovers: the content model skips the same ones, and reports every other file.
IGNORE_FILES = list(content_tree.IGNORED_FILES)
WITH_FUTURE_DATES = True  # embargo is judged by our own rules, against SITE_NOW
FORMATTED_FIELDS: list[str] = []  # titles and summaries are plain text
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
# Every build renders only the pages whose inputs changed since the last build into the same output folder, and
# removes files no longer part of the site; with no records of one, it starts from an empty folder. The page
# records live in .cache/pages/ beside content/.
INCREMENTAL_BUILD = True
DELETE_OUTPUT_DIRECTORY = False
# Pelican's build, whose command ends without freeing the heap object by object (plugins/rendering).
PELICAN_CLASS = "rendering.Pelican"
RENDER_WORKERS = 0  # 0: one per core

# content_model.dialect is Python-Markdown's `extra` with its attribute lists (`{: …}`) limited to class and id
# (plugins/content_model/dialect.py). What Markdown makes is then sanitised by the allow-list of
# plugins/content_model/sanitize.py, which honours IFRAME_HOSTS.
MARKDOWN = {
    "extensions": ["content_model.dialect", "markdown.extensions.sane_lists"],
    "extension_configs": {},
    "output_format": "html5",
}
# Every build is a fresh process (the devserver starts one per change), so templates are never re-checked on disk.
# HTML templates escape what they print; a template of a text file (robots.txt) is not HTML and must not, or a `&`
# would come out as `&amp;`. Any other kind of template escapes.
TEXT_TEMPLATE_SUFFIXES = ("txt", "css", "js", "json", "csv", "ics", "yml", "yaml")
TEMPLATE_EXTENSIONS = [".html", ".txt"]
JINJA_ENVIRONMENT = {
    "autoescape": select_autoescape(disabled_extensions=TEXT_TEMPLATE_SUFFIXES, default_for_string=True, default=True),
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
    "auto_reload": False,
}

# URLs: the table in the content model; pages refer to each other relatively.
ARTICLE_URL = "articles/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = ARTICLE_URL
DRAFT_SAVE_AS = ARTICLE_SAVE_AS
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_PAGE_URL = PAGE_URL
DRAFT_PAGE_SAVE_AS = PAGE_SAVE_AS
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
CATEGORIES_SAVE_AS = ""
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
MONTH_ARCHIVE_URL = "archives/{date:%Y}/{date:%m}/"
# Year and month pages are grouped by the listings plugin (Pelican 4.12 groups them in quadratic time); with
# Pelican's own *_ARCHIVE_SAVE_AS empty, it leaves the grouping to us and still writes the pages.
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
PERIOD_ARCHIVES_SAVE_AS = {"year": "archives/{date:%Y}/index.html", "month": "archives/{date:%Y}/{date:%m}/index.html"}
DAY_ARCHIVE_SAVE_AS = ""
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "archives", "404", "robots", "tags", "sitemap", "subscribe"]
# 网站地图 (every section, column, topic and fixed page) and 订阅 (the feeds, explained in plain words).
SITEMAP_URL = "sitemap/"
SITEMAP_SAVE_AS = "sitemap/index.html"
SUBSCRIBE_URL = "feeds/"
SUBSCRIBE_SAVE_AS = "feeds/index.html"
PAGE_NOT_FOUND_SAVE_AS = "404.html"
ROBOTS_SAVE_AS = "robots.txt"
PAGINATED_TEMPLATES = {"category": 20, "tag": 20, "column": 20}
DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: Atom and JSON Feed for the site, each section, column and topic, at feed.atom and feed.json in their
# folders, written by our feeds plugin (Pelican's own feeds would carry page-relative links).
FEED_DOMAIN = SITE_ABSOLUTE_URL
FEED_ALL_ATOM = None  # the feeds plugin writes feed.atom and feed.json, with absolute links inside
FEED_ATOM = None
FEED_RSS = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
# One language, and slugs are unique (the content model refuses duplicates): Pelican's search for translations
# compares every article with a list of all the others, which costs seconds at 20,000 articles.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
FEED_MAX_ITEMS = 30
API_PAGE_SIZE = 100

SITEMAP = {
    "format": "xml",
    "exclude": [r"^404\.html$", r"^robots\.txt$", r"(^|/)page/\d+/$"],
}
