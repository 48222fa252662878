"""The vendor SDKs as a user's application builds them, pointed at a serve URL (test helper)."""

from __future__ import annotations

from urllib.parse import urlsplit

from aliyunsdkcore.client import AcsClient
from alibabacloud_tea_openapi import utils_models as open_api_models
from alibabacloud_vod20170321.client import Client as VodClient

from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET


def tea_client(url: str, key_id: str = DEFAULT_ACCESS_KEY_ID, secret: str = DEFAULT_ACCESS_KEY_SECRET,
               region: str = "cn-shanghai", **config) -> VodClient:
    """``alibabacloud-vod20170321`` (ACS3-HMAC-SHA256)."""
    return VodClient(open_api_models.Config(access_key_id=key_id, access_key_secret=secret, region_id=region,
                                            endpoint=urlsplit(url).netloc, protocol="http", **config))


def core_client(key_id: str = DEFAULT_ACCESS_KEY_ID, secret: str = DEFAULT_ACCESS_KEY_SECRET,
                region: str = "cn-shanghai") -> AcsClient:
    """``aliyun-python-sdk-core`` (RPC HMAC-SHA1); give each request ``set_endpoint(netloc)``."""
    return AcsClient(key_id, secret, region, auto_retry=False)


def core_request(request, url: str):
    request.set_endpoint(urlsplit(url).netloc)
    request.set_protocol_type("http")
    return request
