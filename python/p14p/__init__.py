"""Drive a p14p device (Python on a chip) from Python.

    >>> from p14p import Device
    >>> with Device("sim") as d:
    ...     d.exec("print(6 * 7)")
    ...     d.eval("[2 ** 10, None, b'\\x00']")
    '42\\n'
    [1024, None, b'\\x00']

``Device(port)`` opens ``"sim"`` (the simulator, built in), a serial path
(``"/dev/ttyACM0"``), ``"tcp:HOST:PORT"`` or ``"rfc2217://HOST:PORT"``. An
uncaught exception on the device raises :class:`DeviceError` whose message
is the device's traceback. The pytest plugin (``p14p.pytest_plugin``,
registered as an entry point) gives tests a ``p14p_device`` fixture.
"""

from ._p14p import Device, DeviceError, DeviceTimeout, LinkError, Repr

__all__ = ["Device", "DeviceError", "DeviceTimeout", "LinkError", "Repr"]
