"""Production settings: strict rules, and no draft or embargoed item reaches any output file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

PUBLISH_BUILD = True
SEARCH_INDEX = True
# Absolute only where a standard wants it (canonical, Open Graph, feeds, sitemap, JSON-LD);
# pages still link to each other relatively, so the output works under any path.
SITEURL = os.environ.get("SITEURL", "https://www.hnast.example")
SITE_ABSOLUTE_URL = SITEURL
FEED_DOMAIN = SITEURL
RELATIVE_URLS = True
# A publish build renders only the pages whose inputs changed since the last publish into this output/; with no
# records of one (a first publish, a preview build in between, other settings or code), it empties output/ first.
INCREMENTAL_BUILD = True
DELETE_OUTPUT_DIRECTORY = False
# The pages are rendered in this one process. A forked worker would share the built site's memory only until either
# process touches an object (reading one changes its reference count): at 20,000 articles it comes to hold some
# 500 MB of its own, and a publish must stay under 1.5 GB wherever it runs (bench/README.md).
RENDER_WORKERS = 1

# The web editor (/admin/): the repository it edits, and the OAuth proxy that signs editors in (docs/网页编辑.md).
CMS_REPO = os.environ.get("CMS_REPO", "hnast/kexie-press-site")
CMS_BRANCH = "main"
CMS_AUTH_URL = os.environ.get("CMS_AUTH_URL", "https://cms-auth.hnast.example")
