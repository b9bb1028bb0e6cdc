"""Fixes that make moto behave as AWS documents. Each module has an apply() and a docstring
naming the AWS behaviour and its documentation; modules are applied in name order."""
import importlib
import pkgutil


def apply_all():
    applied = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.apply()
        applied.append(module_info.name)
    return applied
