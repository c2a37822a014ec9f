"""The arrows of the layout: initiatives ← budgets ← progress ← evaluation ← spreadsheets; nothing imports bench."""

import tomllib
from pathlib import Path

from importlinter import cli

ROOT = Path(__file__).resolve().parent.parent


def _lint(config: Path) -> int:
    return cli.lint_imports(config_filename=str(config), no_cache=True, no_logo=True)


def test_imports_point_one_way():
    assert _lint(ROOT / "pyproject.toml") == 0


def test_the_layer_contract_sees_real_imports(tmp_path, monkeypatch):
    """The same layers upside down must break: otherwise the contract would check nothing."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = settings["contracts"][0]
    layers = list(reversed(contract["layers"]))
    lines = [
        "[importlinter]",
        "root_packages =\n    " + "\n    ".join(settings["root_packages"]),
        "[importlinter:contract:upside-down]",
        f"name = {contract['name']} (upside down)",
        "type = layers",
        "layers =\n    " + "\n    ".join(layers),
    ]
    config = tmp_path / ".importlinter"
    config.write_text("\n".join(lines) + "\n")
    monkeypatch.chdir(ROOT)
    assert _lint(config) == 1
