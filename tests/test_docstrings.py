"""The project rule: every public function has a docstring (shapes, units, errors, source).

Walks every module under ``src/helpers`` with :mod:`ast` (no import, so no data is read) and
lists each public function, class and public method of a public class without a docstring.
Public: a name not starting with ``_``; ``setup`` of a Sphinx extension counts too (it is a
module-level function, so it is covered by the same rule).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from helpers import config

HELPERS = config.ROOT / "src" / "helpers"

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _public(name: str) -> bool:
    return not name.startswith("_")


def missing_docstrings(source: str, module: str) -> Iterator[str]:
    """``module:line name`` of each public top-level function or class, and each public method
    of a public class, in ``source`` without a docstring (methods as ``Class.method``)."""
    tree = ast.parse(source)
    for node in tree.body:
        if not isinstance(node, _DEFS) or not _public(node.name):
            continue
        if ast.get_docstring(node) is None:
            yield f"{module}:{node.lineno} {node.name}"
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, _DEFS) and _public(item.name):
                    if ast.get_docstring(item) is None:
                        yield f"{module}:{item.lineno} {node.name}.{item.name}"


def _modules() -> list[Path]:
    return sorted(HELPERS.rglob("*.py"))


def test_walks_the_package():
    names = {p.relative_to(HELPERS).as_posix() for p in _modules()}
    assert {"config.py", "presentation/narrative.py", "build/sphinx_book.py"} <= names


def test_check_finds_what_is_missing():
    source = '''
def documented():
    """Yes."""

def undocumented():
    pass

async def undocumented_async():
    pass

def _private():
    pass

def setup(app):
    return {}

class Public:
    def method(self):
        pass

    def _helper(self):
        pass

    def fine(self):
        """Yes."""

class _Private:
    def method(self):
        pass

def outer():
    """Yes."""
    def inner():  # nested functions are not public API
        pass
'''
    assert list(missing_docstrings(source, "m.py")) == [
        "m.py:5 undocumented",
        "m.py:8 undocumented_async",
        "m.py:14 setup",
        "m.py:17 Public",
        "m.py:18 Public.method",
    ]


def test_every_public_function_has_a_docstring():
    missing = [
        line
        for path in _modules()
        for line in missing_docstrings(
            path.read_text(encoding="utf-8"), path.relative_to(config.ROOT).as_posix()
        )
    ]
    assert not missing, f"{len(missing)} without a docstring:\n" + "\n".join(missing)
