"""How an attempt failed, named once for every HTTP client the emulator uses.

One failure, one label, whichever attempt it is and whichever client made it (aiohttp's, or
a leaner one speaking asyncio streams): ``classify`` takes the exception and returns the
kind plus a one-line detail for the report.  The kinds (``ErrorKind`` values):

=====================  =====================================================================
``connection_refused`` nothing listens at the address (the first hint: is the receiver up?)
``connection_reset``   the receiver closed or reset the connection before a complete answer:
                       at once, after reading the request, or in the middle of the body
``timeout``            no complete answer within the attempt timeout (5 s by default)
``protocol``           an answer came but is not HTTP (bad status line, headers, chunking)
``dns``                the host name does not resolve
``tls``                the TLS handshake or certificate check failed
``status``             a complete answer whose status does not count (not 200)
``error``              anything else (the detail says what)
=====================  =====================================================================

Human lines print the kind (``#1-3 connection_refused``); the report keeps the detail.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl
from collections.abc import Sequence

import aiohttp
import aiohttp.http_exceptions

from ..run.journal import Attempt, ErrorKind

_RESET_ERRNOS = frozenset({errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED})


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


def classify(exc: BaseException) -> tuple[ErrorKind, str]:
    """The kind of a failed attempt, and its one-line detail."""
    text = one_line(exc)
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        return ErrorKind.TIMEOUT, text
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError, ssl.SSLError)):
        return ErrorKind.TLS, text
    if isinstance(exc, (aiohttp.ClientConnectorDNSError, socket.gaierror)):
        return ErrorKind.DNS, text
    cause = exc.os_error if isinstance(exc, aiohttp.ClientConnectorError) else exc
    if isinstance(cause, ssl.SSLError) or (isinstance(exc, aiohttp.ClientOSError) and "SSL" in str(exc)):
        return ErrorKind.TLS, text
    if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == errno.ECONNREFUSED:
        return ErrorKind.CONNECTION_REFUSED, text
    if (isinstance(cause, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError,
                           asyncio.IncompleteReadError, EOFError, aiohttp.ServerDisconnectedError))
            or getattr(cause, "errno", None) in _RESET_ERRNOS):
        return ErrorKind.CONNECTION_RESET, text
    if isinstance(exc, aiohttp.ClientPayloadError):
        # the body stopped short: the connection was lost mid-body (a cut, not a malformed answer)
        if "not completed" in str(exc) or "ContentLengthError" in str(exc):
            return ErrorKind.CONNECTION_RESET, text
        return ErrorKind.PROTOCOL, text
    if isinstance(exc, (aiohttp.ClientResponseError, aiohttp.http_exceptions.HttpProcessingError)):
        return ErrorKind.PROTOCOL, text
    return ErrorKind.OTHER, text


def label(attempt: Attempt) -> str:
    """What a human line shows for one attempt: the status as answered, or the short kind."""
    if attempt.error is None or attempt.error is ErrorKind.STATUS:
        return attempt.detail
    return str(attempt.error)


def summarize(attempts: Sequence[Attempt]) -> str:
    """``#1 HTTP 500; #2-3 connection_reset``: consecutive attempts with one label are merged."""
    parts: list[tuple[int, int, str]] = []
    for a in attempts:
        text = label(a)
        if parts and parts[-1][2] == text and parts[-1][1] == a.attempt - 1:
            parts[-1] = (parts[-1][0], a.attempt, text)
        else:
            parts.append((a.attempt, a.attempt, text))
    return "; ".join(f"#{lo}{'' if lo == hi else f'-{hi}'} {text}" for lo, hi, text in parts)


def hint(attempts: Sequence[Attempt], url: str) -> str:
    """A next step for the user when the failure says one, else ``""``."""
    if attempts and attempts[0].error is ErrorKind.CONNECTION_REFUSED:
        return f"is your receiver running at {url}?"
    return ""
