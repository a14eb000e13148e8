"""The house keeps its shape (docs/architecture.md). `make test` also runs `lint-imports`,
which checks the layers themselves; these check what it cannot."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCT = ["innolab", "community", "learning", "toolkits"]


def product_modules():
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_product_module_is_a_catch_all():
    long = {
        str(path.relative_to(ROOT)): n
        for path in product_modules()
        if (n := len(path.read_text().splitlines())) > 500
    }
    assert not long, f"split these by sub-domain (about 500 lines at most): {long}"


def test_models_are_imported_not_looked_up_by_name():
    found = [
        str(path.relative_to(ROOT))
        for path in product_modules()
        if "apps.get_model" in path.read_text()
    ]
    assert not found, f"import the model (or move the code up a layer): {found}"


def test_no_benchmark_code_ships_with_the_product():
    shipped = [
        str(path.relative_to(ROOT))
        for package in [*PRODUCT, "templates"]
        for path in (ROOT / package).rglob("*")
        if re.search(r"bench|bulkload", path.name) and "__pycache__" not in path.parts
    ]
    assert not shipped, f"benchmark code belongs under bench/: {shipped}"


def test_the_roof_is_listed_the_same_in_both_contracts():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ]

    def names(layer):
        return {name.strip() for name in layer.split(":")}

    house = next(c for c in contracts if c["name"].startswith("The house"))
    inside = next(c for c in contracts if c.get("containers") == ["community"])
    roof = names(next(layer for layer in house["layers"] if "community.views" in layer))
    assert roof == {f"community.{name}" for name in names(inside["layers"][0])}
