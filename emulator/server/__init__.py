"""``vod-emulator serve``: the MNS queue API and the ``/_emulator/`` control API on one port."""
