"""vod-callback-emulator: a local stand-in for cloud VOD event notifications.

Data flows one way through the packages: ``providers`` (what each provider's events look like)
→ ``scenario`` (what happens when) → ``run`` (timeline → faults → release → journal → verdict →
report) → ``delivery`` (one attempt over one wire).  ``server`` is the long-running fake cloud
(``serve``); ``cli`` is the command line, the only code that prints.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
