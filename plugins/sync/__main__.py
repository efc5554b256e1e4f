"""`python -m sync`: the command behind `make sync`."""

import sys

from sync import main

sys.exit(main())
