"""pmviewer: offline viewer for germline genetic reports."""

# the one place the version is written (pyproject.toml reads it): no importlib.metadata
# lookup at start-up, which cost about 0.05 s of every command's and the window's start
__version__ = "0.1.0"
