"""Fetch the CommonMark spec examples that markdown-it-py's source archive carries, for the renderer tests.

Usage: python fetch_commonmark_spec.py TARGET.json  (run by `make test`; the tests skip if it is absent).
"""

import json
import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import version
from pathlib import Path


def main(target: Path) -> int:
    wanted = f"markdown-it-py=={version('markdown-it-py')}"
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", "-d", folder, wanted],
            check=True,
        )
        archive = next(Path(folder).glob("markdown_it_py-*.tar.gz"))
        with tarfile.open(archive) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("tests/test_cmark_spec/commonmark.json"))
            examples = json.load(tar.extractfile(member))
    target.write_text(json.dumps(examples))
    print(f"CommonMark spec: {len(examples)} examples written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
