"""docs/openapi.json is the document the code describes, and clients/python is generated from it (make client)."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "openapi.json"
CLIENT = ROOT / "clients" / "python" / "src" / "pulse_client"
BIN = Path(sys.executable).parent


def differing(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only, below two folders (caches left out)."""
    compared = filecmp.dircmp(left, right, ignore=["__pycache__", ".ruff_cache"])
    found = [*compared.left_only, *compared.right_only, *compared.diff_files]
    for name, sub in compared.subdirs.items():
        found += [f"{name}/{path}" for path in differing(Path(sub.left), Path(sub.right))]
    return found


def test_the_published_document_is_the_one_the_code_describes() -> None:
    built = subprocess.run(
        [sys.executable, str(ROOT / "clients" / "openapi_document.py")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=ROOT,
    )
    assert built.stdout == DOCUMENT.read_text(), "docs/openapi.json is stale: run `make client`"


def test_the_client_is_generated_from_the_published_document(unique_name: str) -> None:
    # Inside the repository, so the post hooks' ruff reads the repository's settings.
    output = ROOT / ".pulse" / "test" / unique_name / "pulse_client"
    subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            f"--path={DOCUMENT}",
            "--meta=none",
            f"--output-path={output}",
            f"--config={ROOT / 'clients' / 'python' / 'generator.yaml'}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )
    stale = differing(output, CLIENT)
    shutil.rmtree(output.parent)
    assert stale == [], "clients/python is stale: run `make client`"
