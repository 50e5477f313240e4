"""Pressroom's entry point: `python publish.py --help`."""

import sys
from pathlib import Path

from pressroom.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], project_root=Path(__file__).resolve().parent))
