"""Text from files made safe for a terminal: control characters shown, never obeyed.

A VCF or patient file may hold ESC sequences (``\\x1b]0;…``, ``\\x1b[2J``) that a terminal
would execute: retitle the window, clear the screen, fake a prompt. Output meant for a
terminal shows each control character as a visible ``\\xNN`` escape instead.
"""

from __future__ import annotations

import functools
import re

_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0)]


@functools.lru_cache(maxsize=8)
def _controls_except(keep: str) -> re.Pattern[str]:
    # the kept ones never match: a JSON text's 100 000 newlines call no Python per match
    shown = "".join(re.escape(chr(c)) for c in _CONTROLS if chr(c) not in keep)
    return re.compile(f"[{shown}]" if shown else "(?!)")


def printable(text: str, keep: str = "\n") -> str:
    """``text`` with C0/C1 control characters (except those in ``keep``) written as ``\\xNN``."""
    return _controls_except(keep).sub(lambda m: f"\\x{ord(m.group()):02x}", text)
