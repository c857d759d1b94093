#!/usr/bin/env python
"""Django's command-line utility; `vigil` (vigil/cli.py) is the same with a shorter name."""

from vigil.cli import main

if __name__ == "__main__":
    main()
