"""Delivery: the documented attempt/retry rules, and the targets events go to."""

from .policy import DeliveryPolicy
from .retry import deliver

__all__ = ["DeliveryPolicy", "deliver"]
