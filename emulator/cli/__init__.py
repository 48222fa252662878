"""The ``vod-emulator`` command line: one module per command group (``deliver``: trigger;
``scenarios``: run, validate, replay; ``serve``; ``events``; ``receiver``), shared options in
``common``, and ``output``, the only module that writes to the terminal.

Exit codes: 0 every event delivered; 1 an event was lost (or an expectation failed);
2 bad input or usage — and then nothing was delivered.
"""

from . import deliver, events, logs, receiver, scenarios, serve  # noqa: F401  (registers the commands)
from .main import main

__all__ = ["main"]
