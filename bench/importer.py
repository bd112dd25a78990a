"""Import benchmark: `make bench`.

Generates a WordPress WXR export with 10,000 posts and 100,000 comments (a third of
them replies), then runs `rostra import` on it in a fresh SQLite data directory and
reports wall time, rate and the peak memory of the import process. Targets (issue #7):
<= 60 s and <= 300 MB.
"""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rostra.core.testing_databases import migrated_sqlite_site
from rostra.transfer.testing import write_wxr

POSTS = int(os.environ.get("BENCH_IMPORT_POSTS", "10000"))
COMMENTS = int(os.environ.get("BENCH_IMPORT_COMMENTS", "100000"))


def main() -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="rostra-bench-import-"))
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(ROSTRA_DATA_DIR=str(data_dir), LOG_LEVEL="WARNING", EMAIL_URL="dummy:")
    rostra = [sys.executable, "-m", "rostra"]
    try:
        export = data_dir / "export.xml"
        write_wxr(export, posts=POSTS, comments=COMMENTS)
        size_mb = export.stat().st_size / 1e6
        migrated_sqlite_site(data_dir)  # a copy of a migrated database, made once per schema
        subprocess.run([*rostra, "setup"], env=env, check=True, capture_output=True)
        start = time.perf_counter()
        result = subprocess.run(
            [*rostra, "import", "wordpress", str(export), "--no-progress"],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(result.stdout.strip())
        print(
            f"\nimport of a {size_mb:,.0f} MB WXR ({POSTS:,} posts, {COMMENTS:,} comments): "
            f"{elapsed:.1f} s, {COMMENTS / elapsed:,.0f} comments/s, peak memory {peak_mb:,.0f} MB"
        )
        ok = elapsed <= 60 and peak_mb <= 300
        print("targets (<= 60 s, <= 300 MB):", "met" if ok else "MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
