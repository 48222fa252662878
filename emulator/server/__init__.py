"""``vod-emulator serve``: the long-running fake cloud on one port.

``app.py`` mounts the faces side by side; each face is a package with the same inner shape
(wire format, auth, handlers, model/store): ``control/`` (``/_emulator/``), ``mns/`` (the MNS
queue API), ``tencent_api/`` (Tencent API 3.0).  ``shared/`` holds what faces share: the
per-region callback configuration, the SQLite store lifetime, long-poll wake-ups.
"""
