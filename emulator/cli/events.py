"""``events list | show | sample``: browse the catalog."""

from __future__ import annotations

import click

from ..errors import InputError
from ..providers import profile
from ..providers.aliyun.factory import parse_assignments
from ..run.sources import trigger_timeline
from .common import CONTEXT, PROVIDER_OPTION, parse_time
from .main import main
from .output import echo_json, fail_input, note, say


@main.group(context_settings=CONTEXT)
def events() -> None:
    """Browse the event catalog.

    \b
    Exit codes: 0 done, 2 unknown type or bad option.
    """




@events.command("list", context_settings=CONTEXT)
@PROVIDER_OPTION
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def events_list(provider: str, as_json: bool) -> None:
    """List every event type that can be triggered.

    \b
    Exit codes: 0 done, 2 unknown type or bad option.
    """
    prof = profile(provider)
    kinds = prof.catalog.KINDS
    if as_json:
        echo_json([{"name": k.name, "event_type": k.event_type, "id_field": k.media_field,
                    "summary": k.summary, "doc": k.doc}
                   | ({"status": [k.success, k.failure]} if hasattr(k, "success") else {})
                   for k in kinds])
        return
    for k in kinds:
        say(f"{k.name:<36} {k.summary}")
    say(f"\n{len(kinds)} event types ({prof.title}). 'vod-emulator events show TYPE' for fields.")


@events.command("show", context_settings=CONTEXT)
@PROVIDER_OPTION
@click.argument("event_type", metavar="TYPE")
def events_show(provider: str, event_type: str) -> None:
    """Show an event type's fields, status words and documentation link.

    \b
    Exit codes: 0 done, 2 unknown type or bad option.
    """
    from ..providers import schemas
    try:
        prof = profile(provider)
        kind = prof.resolve_kind(event_type)
    except InputError as exc:
        fail_input(str(exc))
    schema = schemas.load_schema(provider, kind.event_type)
    required = set(schema.get("required", []))
    say(f"{kind.name} — {kind.summary}  ({prof.title})")
    status = f"    Status: {kind.success} | {kind.failure}" if hasattr(kind, "success") else ""
    say(f"EventType: {kind.event_type}    id field: {kind.media_field}{status}")
    say(f"docs: {kind.doc}")
    if not getattr(kind, "fail_sent_by_service", True):
        say("note: the service sends no notification for a failed upload; the fail form exists for tests")
    params = prof.params.get(kind.name, {})
    say("fields:")
    for name in sorted(schemas.known_fields(provider, kind.event_type), key=lambda n: (n not in required, n)):
        say(f"  {name}{' (required)' if name in required else ''}")
    if params:
        say("generator knobs (params: in scenarios):")
        for name, text in params.items():
            say(f"  {name}: {text}")


@events.command("sample", context_settings=CONTEXT)
@PROVIDER_OPTION
@click.argument("event_type", metavar="TYPE")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--status", type=click.Choice(["success", "fail"]), default="success", show_default=True)
@click.option("--start-time", help="EventTime, ISO-8601 UTC (default: now).")
@click.option("--region", help="Storage region (default: the provider's usual one).")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE", help="Override a body field.")
@click.option("--preset", metavar="NAME", help="Transcode preset (StreamTranscodeComplete, TranscodeComplete).")
@click.option("--vary", is_flag=True, help="A varied shape (the choices go to stderr).")
def events_sample(provider: str, event_type: str, seed: int, status: str, start_time: str | None,
                  region: str | None, sets: tuple[str, ...], preset: str | None, vary: bool) -> None:
    """Print a generated body of TYPE (validated against its schema), without sending it.

    \b
    Exit codes: 0 done, 2 unknown type or bad option.
    """
    try:
        _, event = next(trigger_timeline(event_type, count=1, seed=seed, start=parse_time(start_time), region=region,
                                         ok=status == "success", overrides=parse_assignments(list(sets)),
                                         provider=provider, preset=preset, vary=vary))
    except InputError as exc:
        fail_input(str(exc))
    echo_json(event.payload())
    if event.variation:
        note("variation: " + " ".join(event.variation))

