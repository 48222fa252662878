"""The control face of ``serve`` (``/_emulator/``): health, reset, queues, callback settings, trigger, run, reports."""
