"""Start moto_server with the project's emulator fixes applied.

Usage: python3 emulator/server.py -H 127.0.0.1 -p <port>   (port 0 picks a free one)

Every fix lives in emulator/fixes/, one module per AWS behaviour, and is applied before the
server handles its first request. See emulator/README.md.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fixes import apply_all  # noqa: E402
from moto.server import main  # noqa: E402

if __name__ == "__main__":
    applied = apply_all()
    print("regionpair emulator fixes: " + ", ".join(applied), file=sys.stderr, flush=True)
    main()
