"""Text from files made safe for a terminal: control characters shown, never obeyed.

A VCF or patient file may hold ESC sequences (``\\x1b]0;…``, ``\\x1b[2J``) that a terminal
would execute: retitle the window, clear the screen, fake a prompt. Output meant for a
terminal shows each control character as a visible ``\\xNN`` escape instead.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str, keep: str = "\n") -> str:
    """``text`` with C0/C1 control characters (except those in ``keep``) written as ``\\xNN``."""
    return _CONTROL.sub(
        lambda m: m.group() if m.group() in keep else f"\\x{ord(m.group()):02x}", text
    )
