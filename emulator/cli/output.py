"""What the command line shows: the only module that writes to the terminal."""

from __future__ import annotations

import json
import os
import sys

import click

from .. import receiver as builtin

def say(line: str) -> None:
    """Print a line; if stdout went away (``| head``), keep running quietly."""
    try:
        click.echo(line)
    except (BrokenPipeError, ValueError):
        devnull = open(os.devnull, "w")
        os.dup2(devnull.fileno(), sys.stdout.fileno())




def note(line: str) -> None:
    """A line on stderr, beside output meant for a pipe."""
    click.echo(line, err=True)


def fail_input(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)



def format_received(rec: builtin.Received) -> str:
    """``  ← 09:00:31 StreamTranscodeComplete  <id>  success LD  sig=ok  (copy 2)  → 200``."""
    sig = "" if rec.signature is None else f"  sig={rec.signature}"
    copy = "" if rec.copy == 1 else f"  (copy {rec.copy})"
    if rec.event_type is None:
        return f"  ← {rec.method} {rec.path} (not an event body){sig}  → {rec.status or 'connection reset'}"
    body = json.loads(rec.body)
    when = str(body.get("EventTime", ""))[11:19]
    detail = " ".join(str(body[k]) for k in ("Status", "Definition") if isinstance(body.get(k), str))
    answer = "connection reset" if rec.status == 0 else str(rec.status)
    return f"  ← {when:<8} {rec.event_type:<28} {rec.media_id or '':<33} {detail:<10}{sig}{copy}  → {answer}"



def echo_json(doc: object) -> None:
    say(json.dumps(doc, ensure_ascii=False, indent=2))
