"""The ``vod-emulator`` command group."""

from __future__ import annotations

import logging

import click

from .. import __version__
from .common import CONTEXT, SectionedCommand


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="vod-emulator")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """A local ApsaraVideo VOD: generates realistic event callbacks and delivers them by the
    documented rules (HTTP 200 only, 5 s timeout, 3 attempts 1 s apart, then lost).

    \b
    Exit codes (every command): 0 success, 1 events lost, 2 bad input or option,
    130/143 interrupted by Ctrl-C/SIGTERM.
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")


main.command_class = SectionedCommand   # every command's --help: options in sections

