"""Example hardware-in-the-loop tests written on the host with pytest.

They drive whatever device ``--p14p-port`` names (the simulator by
default; CI runs them on the simulator and on the LM3S6965 in QEMU):

    pip install ./python pytest
    pytest examples/pytest                                  # the simulator
    pytest examples/pytest --p14p-port tcp:127.0.0.1:7415   # a board behind TCP
    pytest examples/pytest -n 2 --p14p-port /dev/ttyACM0 --p14p-port /dev/ttyACM1

Each test gets the device freshly reset (``p14p_device``).
"""

import pytest

from p14p import DeviceError


def test_exec_returns_the_programs_output(p14p_device):
    out = p14p_device.exec("for i in range(3):\n    print('tick', i)")
    assert out.splitlines() == ["tick 0", "tick 1", "tick 2"]


def test_eval_returns_python_values(p14p_device):
    assert p14p_device.eval("2 ** 10") == 1024
    assert p14p_device.eval("[None, True, 'ab' * 2, (1,), {'k': 3}]") == [
        None,
        True,
        "abab",
        (1,),
        {"k": 3},
    ]


def test_state_lasts_within_a_test(p14p_device):
    p14p_device.exec("def scale(x):\n    return 3 * x\nstate = [scale(2)]")
    assert p14p_device.eval("state + [scale(5)]") == [6, 15]


def test_each_test_starts_afresh(p14p_device):
    # `state` from the test before is gone: the fixture reset the device.
    with pytest.raises(DeviceError) as e:
        p14p_device.eval("state")
    assert e.value.exc_type == "NameError"


def test_an_exception_carries_the_device_traceback(p14p_device):
    with pytest.raises(DeviceError) as e:
        p14p_device.exec("def parse(s):\n    return int(s)\nparse('x1')")
    assert e.value.exc_type == "ValueError"
    assert 'line 2, in parse' in e.value.traceback
    assert "return int(s)" in str(e.value)


def test_a_module_loaded_from_the_host_is_importable(p14p_device):
    p14p_device.load_module("filters", "def mean(xs):\n    return sum(xs) / len(xs)")
    p14p_device.exec("import filters\nm = filters.mean([1, 2, 3, 6])")
    assert p14p_device.eval("m") == 3.0


def test_the_heap_is_reported(p14p_device):
    stats = p14p_device.collect()
    assert 0 < stats["used"] < stats["total"]
    assert stats["free"] <= stats["total"]


def test_a_hung_program_is_stopped_by_its_timeout(p14p_device):
    from p14p import DeviceTimeout

    with pytest.raises(DeviceTimeout):
        p14p_device.exec("while True:\n    pass", timeout=0.5)
    # The device serves the next request.
    assert p14p_device.eval("1 + 1") == 2
