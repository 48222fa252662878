"""The delivery rules, with the documented Alibaba VOD values as defaults.

Source: ApsaraVideo VOD "Event notification" overview, "Callback validation and retries"
(see ``RULES`` for the table the README and reports print).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "https://www.alibabacloud.com/help/en/vod/user-guide/overview-event-notification"


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    max_attempts: int = 3          # "a maximum of three attempts", then discarded
    retry_interval: float = 1.0    # "retries after a 1 second interval"
    timeout: float = 5.0           # "times out after 5 seconds" (connect + response)
    time_scale: float = 1.0        # multiplies waits (retry_interval), never the timeout

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        if self.retry_interval < 0 or self.timeout <= 0 or self.time_scale < 0:
            raise ValueError("intervals must be >= 0 and the timeout > 0")

    def describe(self) -> dict[str, object]:
        """The values actually in force, as reports state them."""
        return {
            "success_rule": "HTTP status 200 only; redirects not followed; response body ignored",
            "max_attempts": self.max_attempts,
            "retry_interval_s": self.retry_interval,
            "time_scale": self.time_scale,
            "effective_retry_interval_s": round(self.retry_interval * self.time_scale, 6),
            "timeout_s": self.timeout,
            "source": SOURCE,
        }
