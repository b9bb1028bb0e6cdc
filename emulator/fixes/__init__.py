"""Fixes that make moto behave as AWS documents. Each module has an apply() and a docstring
naming the AWS behaviour and where AWS documents it; modules are applied in name order.

REGIONPAIR_EMULATOR_DISABLE_FIXES=name[,name...] skips the named fixes, which is how a fix's
test is shown to fail without it."""
import importlib
import os
import pkgutil


def apply_all():
    disabled = {n.strip() for n in os.environ.get("REGIONPAIR_EMULATOR_DISABLE_FIXES", "").split(",") if n.strip()}
    applied = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        # `_` modules are helpers the fixes share, not fixes.
        if module_info.name.startswith("_") or module_info.name in disabled:
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.apply()
        applied.append(module_info.name)
    return applied
