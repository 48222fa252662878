"""Delivery: how one attempt goes over one wire (HTTP POST, an MNS queue, the Tencent event
queue), and the documented attempt/retry rules around it."""

from .policy import DeliveryPolicy
from .retry import deliver

__all__ = ["DeliveryPolicy", "deliver"]
