"""The inspector page, rendered on the server: the frame, the trigger form, and the
fragments the script refreshes (queues with their messages, callback settings, runs).
Every value is HTML-escaped; the page runs only its own script (see ``CSP``)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from html import escape
from typing import Any

from ... import __version__
from ...providers.aliyun import catalog
from ..control.handlers import ServerState, _all_queues, _queue_info

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
MESSAGES_SHOWN = 16


def _table(head: list[str], rows: list[list[str]], empty: str, cls: str = "") -> str:
    if not rows:
        return f'<p class="empty">{escape(empty)}</p>'
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def queues(state: ServerState) -> str:
    """Each queue: visible, in flight, delayed; and its visible messages with DequeueCount."""
    out = []
    for name in _all_queues(state.store):
        info = _queue_info(state.store, name)
        out.append(f'<div class="queue" data-queue="{escape(name)}"><h3>{escape(name)}</h3>'
                   f'<p class="counts"><span class="visible">{info["active"]} visible</span> · '
                   f'<span class="inflight">{info["inflight"]} in flight</span> · '
                   f'<span class="delayed">{info["delayed"]} delayed</span></p>')
        rows = []
        for m in state.store.peek(name, MESSAGES_SHOWN) if info["active"] else []:
            try:
                event = json.loads(m.body)
                what = f'{event.get("EventType", "?")} {event.get("VideoId") or event.get("MediaId") or ""}'
            except (ValueError, AttributeError):
                what = m.body[:60]
            rows.append([escape(m.message_id[:12]), escape(str(what)), str(m.dequeue_count),
                         escape(time.strftime("%H:%M:%S", time.gmtime(m.enqueue_time / 1000)))])
        out.append(_table(["MessageId", "Event", "DequeueCount", "Enqueued"], rows, "no visible message", "messages"))
        out.append("</div>")
    return "".join(out) or '<p class="empty">no queue</p>'


def callbacks(state: ServerState) -> str:
    rows = []
    for region, config in state.callbacks.all().items():
        api = config.to_api(region)
        where = api.get("CallbackURL") or f'MNS queue {api.get("MnsQueueName")}'
        auth = "signed" if api.get("AuthSwitch") == "on" else "unsigned" if api["CallbackType"] == "HTTP" else "–"
        rows.append([escape(region), escape(api["CallbackType"]), escape(str(where)), escape(api["EventTypeList"]),
                     auth])
    return _table(["Region", "Type", "Where", "Events", "Auth"], rows,
                  "no callback configured: PUT /_emulator/callbacks/{region}", "callbacks")


def runs(state: ServerState) -> str:
    rows = []
    for run in reversed(list(state.runs.items.values())):
        d = run.describe()
        s = d.get("summary") or {}
        verdicts = ", ".join(f"{n} {v}" for v, n in sorted((d.get("verdicts") or {}).items()))
        report = (f'<a href="/_emulator/runs/{escape(run.run_id)}/report" target="_blank" rel="noopener">report</a>'
                  if run.report is not None else "")
        rows.append([escape(run.run_id), escape(d["command"]), escape(d["status"]),
                     escape(f'{s.get("events", "–")} events, {s.get("lost", 0)} lost') if s else "–",
                     escape(verdicts) or "–", report])
    return _table(["Run", "Command", "Status", "Events", "Verdicts", ""], rows, "no run yet", "runs")


FRAGMENTS: dict[str, Callable[[ServerState], str]] = {"queues": queues, "callbacks": callbacks, "runs": runs}


def _trigger_form(state: ServerState) -> str:
    options = "".join(f'<option value="{escape(k.name)}">{escape(k.name)}</option>' for k in catalog.KINDS)
    regions = sorted(state.callbacks.all()) or ["cn-shanghai"]
    region_opts = "".join(f'<option value="{escape(r)}">{escape(r)}</option>' for r in regions)
    return (f'<form id="trigger" autocomplete="off">'
            f'<label>Event <select name="event_type">{options}</select></label>'
            f'<label>Count <input name="count" type="number" min="1" max="100" value="1"></label>'
            f'<label>Region <select name="region">{region_opts}</select></label>'
            f'<label>Status <select name="status"><option>success</option><option>fail</option></select></label>'
            f'<label>Time scale <input name="time_scale" type="number" min="0" step="0.01" value="1"></label>'
            f'<button type="submit">Trigger</button></form><p id="trigger-result" role="status"></p>')


def render(state: ServerState) -> str:
    section: Any = lambda ident, title, body: (f'<section id="{ident}"><h2>{title}</h2>'  # noqa: E731
                                                 f'<div class="body" data-fragment="{ident}">{body}</div></section>')
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vod-emulator inspector</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><link rel="stylesheet" href="/_emulator/ui/app.css"></head>
<body><header><h1>vod-emulator inspector</h1><span class="meta">{escape(state.base_url)} · v{escape(__version__)}</span>
<span id="live" class="off">connecting…</span></header>
<main><section id="deliveries"><h2>Deliveries</h2>
<form id="filters" autocomplete="off"><label>Event type <select name="type"><option value="">all</option></select></label>
<label>VideoId <input name="video" placeholder="contains…"></label>
<label>Outcome <select name="outcome"><option value="">all</option><option>delivered</option>
<option value="retried">delivered after retry</option><option>lost</option><option value="pending">in progress</option>
<option value="duplicate">chaos duplicate</option></select></label></form>
<table id="events"><thead><tr><th>Run</th><th>EventTime</th><th>Event</th><th>VideoId</th>
<th>Attempts (timeline)</th><th>Answers</th><th>Outcome</th></tr></thead><tbody></tbody></table>
<p class="empty" id="no-events">Nothing delivered yet: trigger an event (right) or a run through the control API.</p>
<div id="detail" hidden><h3 id="detail-title"></h3><button id="resend" type="button">Resend</button>
<h4>Headers</h4><pre id="detail-headers"></pre><h4>Body</h4><pre id="detail-body"></pre></div></section>
<aside>{section("trigger-section", "Trigger", _trigger_form(state))}
{section("callbacks", "Callback configuration", callbacks(state))}
{section("queues", "Queues", queues(state))}
{section("runs", "Runs", runs(state))}</aside></main>
<script src="/_emulator/ui/app.js" defer></script></body></html>
"""
