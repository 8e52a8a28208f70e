"""pmviewer: offline viewer for germline genetic reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pmviewer")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
