"""Data checks raise named errors that survive ``python -O`` (an ``assert`` does not)."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from helpers import config
from helpers.data.checks import DataCheckError, require

PACKAGE = config.ROOT / "src" / "helpers"


def test_require_raises_a_named_error_even_with_optimisation():
    with pytest.raises(DataCheckError, match="12 provinces"):
        require(False, "expected 12 provinces")
    require(True, "never shown")
    code = "from helpers.data.checks import require\nrequire(1 == 2, 'x')"
    result = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "DataCheckError: x" in result.stderr


def test_no_assert_statements_in_the_helpers():
    found = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assert)
    ]
    assert not found, f"use helpers.data.checks.require instead of assert: {found}"
