"""The inspector face of ``serve`` (``/_emulator/ui``): server-rendered HTML plus one small
script, no build step — live deliveries with their attempts, queues, callback settings, runs."""

from .handlers import install

__all__ = ["install"]
