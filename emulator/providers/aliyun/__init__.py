"""The Alibaba Cloud ApsaraVideo VOD profile: event catalog, generators, callback signing."""
