"""`make html` settings as the bench builds with them (bench/overrides.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from overrides import bench_settings

globals().update(bench_settings("pelicanconf"))
