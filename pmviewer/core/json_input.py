"""Reading a JSON file a person wrote or exported (patient, lab, review), with plain messages."""

from __future__ import annotations

import json
from pathlib import Path

from pmviewer.core.errors import InputFileError


def read_json(path: str | Path, what: str) -> object:
    """The parsed content of the ``what`` file at ``path`` (e.g. ``what="review"``).

    Raises
    ------
    InputFileError
        The file is missing, cannot be read as UTF-8 text, or is not valid JSON; the message
        names the file and says what to do, without Python's own error text.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(f"The {what} file {file} does not exist. Check the path.") from None
    except IsADirectoryError:
        raise InputFileError(
            f"The {what} file {file.name} could not be read: it is a folder, not a file. "
            "Choose the JSON file inside it."
        ) from None
    except PermissionError:
        raise InputFileError(
            f"The {what} file {file.name} could not be read: you are not allowed to open it. "
            "Copy it to a folder of yours and try again."
        ) from None
    except (OSError, UnicodeDecodeError):
        raise InputFileError(
            f"The {what} file {file.name} could not be read. Save it as UTF-8 text and try again."
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(
            f"The {what} file {file.name} is not valid JSON (line {error.lineno}, column "
            f"{error.colno}: {error.msg}). Check quotes, commas and braces."
        ) from None
