"""A longer fuzz run than the default suite's: the properties of tests/test_fuzz.py with
more (and non-derandomised) examples.

    python benchmarks/fuzz.py            # 1,000 examples per mutator: 11 minutes here, all passing
    python benchmarks/fuzz.py 500
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "1000"
    env = {
        **os.environ,
        "PUBLISHER_FUZZ_EXAMPLES": examples,
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    return subprocess.call(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(ROOT / "tests" / "test_fuzz.py"),
        ],
        cwd=ROOT,
        env=env,
    )


if __name__ == "__main__":
    sys.exit(main())
