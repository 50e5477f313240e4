"""Pressroom's entry point: `python publish.py --help`."""

import sys
from pathlib import Path

if __name__ == "__main__":
    try:
        from pressroom.cli.main import run
    except KeyboardInterrupt:  # Ctrl-C while Python is still starting: nothing was done
        print("interrupted; out/ unchanged", file=sys.stderr)
        sys.exit(130)
    run(sys.argv[1:], project_root=Path(__file__).resolve().parent)
