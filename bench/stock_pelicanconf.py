"""Stock Pelican's settings for the twin corpus: pelican-quickstart's answers, with its publish settings folded in."""

AUTHOR = "河南省科学技术协会"
SITENAME = "河南省科学技术协会"
SITEURL = "https://www.hnast.example"
RELATIVE_URLS = False

PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"

# Namespace plugins installed in the same venv (sitemap, yaml-metadata) would load on their own: stock means none.
PLUGINS: list[str] = []

# quickstart's publishconf.py: feeds on, output folder emptied first.
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
DELETE_OUTPUT_DIRECTORY = True

# quickstart asks for pagination; 20 a page, as our site lists.
DEFAULT_PAGINATION = 20
