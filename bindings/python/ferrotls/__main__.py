"""``python -m ferrotls``: the library's version and the libferrotls file in use."""
from __future__ import annotations

import sys

import ferrotls


def main() -> int:
    print(f"ferrotls {ferrotls.__version__}")
    print(f"library: {ferrotls.LIBRARY_PATH}")
    print(f"package: {ferrotls.__file__.rsplit('/', 1)[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
