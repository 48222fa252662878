"""The Tencent Cloud VOD profile: event catalog, generators and schemas (EventContent, API 2018-07-17)."""
