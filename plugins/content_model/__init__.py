"""The one content model: schema, parsing and rules shared by the build and `make check`."""

from .problems import Problem, Problems
from .site import Item, Options, Site, load_site

__all__ = ["Item", "Options", "Problem", "Problems", "Site", "load_site"]
