"""The p14p pytest plugin: scripted hardware-in-the-loop tests.

Registered through the package's ``pytest11`` entry point, so installing
``p14p`` is enough. It gives tests a ``p14p_device`` fixture: a
:class:`p14p.Device`, soft-reset before each test (globals, loaded modules
and the heap dropped; stored files stay), on the port ``--p14p-port`` names
(default ``$P14P_PORT``, else ``sim``, the built-in simulator)::

    def test_sum(p14p_device):
        assert p14p_device.eval("sum(range(10))") == 45

Several ``--p14p-port`` options spread the tests over several boards with
pytest-xdist: worker ``gwN`` takes the N-th port (``pytest -n 2 --p14p-port
/dev/ttyACM0 --p14p-port /dev/ttyACM1``). Without xdist the first port is
used. ``sim`` may serve any number of workers (each starts its own).

When a test that used the device fails, its report carries what the device
printed during the test and the device's traceback (sections "p14p device
output" and "p14p device traceback").
"""

from __future__ import annotations

import os
from typing import Iterator, Optional

import pytest

from . import Device, DeviceError, LinkError

_DEVICE_KEY = pytest.StashKey[Optional[Device]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("p14p", "p14p devices (hardware-in-the-loop tests)")
    group.addoption(
        "--p14p-port",
        action="append",
        default=None,
        metavar="PORT",
        help="device for the p14p_device fixture: sim, a serial path, tcp:HOST:PORT, "
        "rfc2217://HOST:PORT. Repeat it to spread tests over boards with pytest-xdist "
        "(worker gwN takes the N-th). Default: $P14P_PORT, else sim.",
    )
    group.addoption(
        "--p14p-heap",
        type=int,
        default=None,
        metavar="BYTES",
        help="heap size of a sim device (e.g. 7936 for the micro:bit's).",
    )


def _worker_index(config: pytest.Config) -> Optional[int]:
    """The xdist worker's number (gw3 -> 3), or None without xdist."""
    workerinput = getattr(config, "workerinput", None)
    if not workerinput:
        return None
    return int(str(workerinput["workerid"]).lstrip("gw"))


def port_for(config: pytest.Config) -> str:
    """The port this process's tests use."""
    ports = config.getoption("p14p_port") or [os.environ.get("P14P_PORT") or "sim"]
    n = _worker_index(config)
    if n is None:
        return ports[0]
    if n < len(ports):
        return ports[n]
    if all(p == "sim" for p in ports):
        return "sim"
    raise pytest.UsageError(
        f"pytest-xdist worker gw{n} has no device: {len(ports)} --p14p-port given "
        f"({', '.join(ports)}); run with -n {len(ports)} or fewer"
    )


@pytest.fixture(scope="session")
def p14p_port(pytestconfig: pytest.Config) -> str:
    """The port of this process's device."""
    return port_for(pytestconfig)


def _open(config: pytest.Config, port: str) -> Device:
    heap = config.getoption("p14p_heap")
    return Device(port, heap=heap) if heap else Device(port)


@pytest.fixture(scope="session")
def _p14p_connection(pytestconfig: pytest.Config, p14p_port: str) -> Iterator[list[Device]]:
    """One connection for the whole session, in a list so a test can
    replace a connection that broke."""
    holder = [_open(pytestconfig, p14p_port)]
    yield holder
    holder[0].close()


@pytest.fixture
def p14p_device(
    request: pytest.FixtureRequest, pytestconfig: pytest.Config, p14p_port: str, _p14p_connection: list[Device]
) -> Iterator[Device]:
    """The device, freshly reset, its transcript empty."""
    device = _p14p_connection[0]
    try:
        device.reset()
    except LinkError:
        # The link broke in an earlier test (a board rebooted, a lost
        # connection): connect again.
        device.close()
        device = _p14p_connection[0] = _open(pytestconfig, p14p_port)
        device.reset()
    device.clear_transcript()
    request.node.stash[_DEVICE_KEY] = device
    yield device


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    device = item.stash.get(_DEVICE_KEY, None)
    if device is None or not report.failed:
        return
    output = device.transcript
    if output:
        report.sections.append((f"p14p device output ({device.port})", output))
    exc = call.excinfo.value if call.excinfo is not None else None
    if isinstance(exc, DeviceError) and exc.traceback:
        report.sections.append((f"p14p device traceback ({device.port})", exc.traceback))


def pytest_report_header(config: pytest.Config) -> str:
    return f"p14p: port {port_for(config)}"
