"""The emulator from Python: start a server, configure callbacks and queues, trigger events
and run scenarios (blocking or async), read the report, and capture what your receiver got.

    from emulator.testing import CapturingReceiver, EmulatorServer

    with EmulatorServer() as server, CapturingReceiver() as receiver:
        emu = server.client(time_scale=0.01)
        emu.set_http_callback(receiver.url)
        report = emu.trigger("FileUploadComplete")
        assert report.ok
        receiver.wait_for("FileUploadComplete", video_id=report.bodies[0]["VideoId"])

The pytest plugin (``emulator.testing.pytest_plugin``, loaded automatically once the package
is installed) gives the same as fixtures: ``vod_emulator``, ``vod_emulator_async``,
``vod_receiver`` and the session's ``vod_emulator_server``.
"""

from ._client import AsyncEmulatorClient, EmulatorClient, EmulatorError
from ._receiver import CapturingReceiver, Delivery
from ._report import RunReport
from ._server import EmulatorServer

__all__ = ["AsyncEmulatorClient", "CapturingReceiver", "Delivery", "EmulatorClient", "EmulatorError",
           "EmulatorServer", "RunReport"]
