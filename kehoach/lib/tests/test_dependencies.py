"""Every third-party module the code imports is declared in pyproject.toml.

A package installed by hand into a working `.venv` makes the suite pass on the machine that has
it and fail on a fresh clone (`make run`, CI). This test reads the imports of the source tree
and finds, for each one outside the standard library, the distribution that provides it: that
distribution must be a declared dependency (application code: `[project] dependencies`; tests,
benchmarks and scripts may also use the `dev` extra).
"""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement):
    return _normalise(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))


def _declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_requirement_name(r) for r in project["dependencies"]}
    dev = {_requirement_name(r) for r in project["optional-dependencies"]["dev"]}
    return runtime, runtime | dev


def _top_level_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.partition(".")[0]


def _is_test_code(path):
    parts = path.relative_to(ROOT).parts
    return parts[0] in {"bench", "scripts"} or "tests" in parts or path.name == "conftest.py"


def _settings_modules():
    """Apps and middleware are imported by name from settings, not by an import statement."""
    from django.conf import settings

    for dotted in [*settings.INSTALLED_APPS, *settings.MIDDLEWARE]:
        yield dotted.partition(".")[0]


def _undeclared_imports():
    runtime, with_dev = _declared()
    providers = importlib.metadata.packages_distributions()
    missing = {}

    def check(module, allowed, where):
        if module in sys.stdlib_module_names or module in {"kehoach", "bench", "scripts"}:
            return
        if not {_normalise(d) for d in providers.get(module, [])} & allowed:
            missing.setdefault(module, set()).add(where)

    for module in _settings_modules():
        check(module, runtime, "settings")
    files = [*ROOT.joinpath("kehoach").rglob("*.py"), *ROOT.joinpath("bench").rglob("*.py")]
    files += ROOT.joinpath("scripts").rglob("*.py")
    for path in files:
        if "migrations" in path.parts:
            continue
        allowed = with_dev if _is_test_code(path) else runtime
        for module in _top_level_imports(path):
            check(module, allowed, str(path.relative_to(ROOT)))
    return missing


def test_every_third_party_import_is_a_declared_dependency():
    missing = _undeclared_imports()
    assert not missing, "imported but not declared in pyproject.toml: " + "; ".join(
        f"{module} ({', '.join(sorted(paths)[:3])})" for module, paths in sorted(missing.items())
    )


def test_the_check_sees_an_undeclared_import(tmp_path, monkeypatch):
    """The check itself can fail: a module no declared distribution provides is reported."""
    source = tmp_path / "kehoach" / "probe.py"
    source.parent.mkdir()
    source.write_text("import json\nimport django\nimport not_a_declared_module\n")
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert set(_undeclared_imports()) == {"not_a_declared_module"}
