"""The Tencent Cloud VOD profile: event catalog, generators, factory and PUSH signing (EventContent, API 2018-07-17)."""
