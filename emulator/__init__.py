"""vod-callback-emulator: a local stand-in for cloud VOD event notifications."""

__version__ = "0.1.0"
__all__ = ["__version__"]
