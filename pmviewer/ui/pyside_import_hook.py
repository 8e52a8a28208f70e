"""PySide6 replaces ``builtins.__import__`` with a hook for its ``from __feature__ import``
switches (snake_case, true_property), which pmviewer never uses. The hook reads the source
text of every module imported after Qt (``inspect.getsource``, to tell whether the module
uses PySide): pandas and pyarrow, imported in the background once the window is shown,
cost about 0.3 s more CPU with it. This module keeps the interpreter's own ``__import__``
from before Qt is imported (``pmviewer.cli`` imports it first) and puts it back once Qt is
in; modules imported afterwards take PySide's default, "no feature", as before.
"""

from __future__ import annotations

import builtins

_PYTHON_IMPORT = builtins.__import__


def drop_feature_hook() -> bool:
    """Whether PySide's import hook was replaced by the interpreter's own ``__import__``
    (not when this module came too late to know the original)."""
    current = builtins.__import__
    if getattr(current, "__name__", "") != "__feature_import__":
        return False
    if getattr(_PYTHON_IMPORT, "__name__", "") != "__import__":
        return False
    builtins.__import__ = _PYTHON_IMPORT
    return True
