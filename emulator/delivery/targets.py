"""Targets by URL scheme: ``http(s)://…`` callback URLs and ``mns://…`` queues."""

from __future__ import annotations

from ..clock import Clock
from .fast_http import FastHttpTarget
from .http import HttpTarget, TargetSpec, TLSOptions, check_url
from ..providers.tencent.signing import Placement, TencentSigner
from .mns import MnsTarget, parse_mns_url


def check_target_url(url: str) -> str:
    """``url`` if it names a target we can deliver to; ``ValueError`` with a clear message if not."""
    if url.startswith("mns://"):
        parse_mns_url(url)
        return url
    return check_url(url)


def make_target(spec: TargetSpec, *, clock: Clock, tls: TLSOptions, pool_size: int,
                mns_body: str | None = None, provider: str = "aliyun", sign_placement: str = "body",
                accept_2xx: bool = False, client: str = "lean") -> HttpTarget | MnsTarget:
    """The target for ``spec``; the provider decides how an HTTP callback is signed
    (Alibaba: X-VOD-TIMESTAMP/X-VOD-SIGNATURE headers; Tencent: Sign and T).  ``http://``
    goes over the lean client unless ``client`` is ``"aiohttp"``; ``https://`` always over aiohttp."""
    if spec.url.startswith("mns://"):
        return MnsTarget(spec.url, body=mns_body, clock=clock, pool_size=pool_size)
    kind = FastHttpTarget if client == "lean" and spec.url.startswith("http://") else HttpTarget
    if provider == "tencent":
        signer = TencentSigner(spec.auth_key, Placement(sign_placement)) if spec.auth_key else None
        return kind(spec.url, clock=clock, tls=tls, pool_size=pool_size, signer=signer, accept_2xx=accept_2xx)
    return kind(spec.url, auth_key=spec.auth_key, clock=clock, tls=tls, pool_size=pool_size, accept_2xx=accept_2xx)
