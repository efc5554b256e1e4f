"""`python -m devserver`: the preview server (server.py)."""

import sys

from .server import main

sys.exit(main())
