"""The p14p package's own tests, on the built-in simulator."""

import threading

import pytest

import p14p
from p14p import Device, DeviceError, DeviceTimeout, LinkError, Repr


@pytest.fixture
def sim():
    with Device("sim") as d:
        yield d


def test_values_come_back_as_python_values(sim):
    v = sim.eval("[2 ** 100, -7, 1.5, 'é€\\n', b'\\x00\\xff', (1,), {'a': {3}}, set(), None, False]")
    assert v == [2**100, -7, 1.5, "é€\n", b"\x00\xff", (1,), {"a": {3}}, set(), None, False]
    assert sim.eval("float('inf')") == float("inf")
    assert sim.eval("{1: [2], 'k': (3, 4)}") == {1: [2], "k": (3, 4)}


def test_a_value_without_literal_form_is_a_repr(sim):
    sim.exec("class P:\n    pass")
    v = sim.eval("[len, P]")
    assert isinstance(v[0], Repr) and "len" in v[0].text
    assert repr(v[1]) == v[1].text


def test_eval_keeps_what_the_expression_printed_out_of_the_value(sim):
    seen = []
    sim.exec("def f():\n    print('side effect')\n    return 5")
    assert sim.eval("f()", on_output=seen.append) == 5
    assert "".join(seen) == "side effect\n"


def test_exceptions_carry_type_traceback_and_output(sim):
    with pytest.raises(DeviceError) as e:
        sim.exec("print('before')\n{}['missing']")
    assert e.value.exc_type == "KeyError"
    assert e.value.output == "before\n"
    assert e.value.traceback.startswith("Traceback (most recent call last):")
    assert str(e.value) == e.value.traceback.rstrip("\n")


def test_compile_errors_and_statements(sim):
    with pytest.raises(DeviceError) as e:
        sim.exec("def f(:\n    pass")
    assert e.value.exc_type is None and "<string>:1" in str(e.value)
    with pytest.raises(ValueError):
        sim.eval("x = 1")


def test_sys_exit_zero_is_a_normal_end(sim):
    assert sim.exec("import sys\nprint('bye')\nsys.exit()") == "bye\n"


def test_timeout_and_interrupt(sim):
    with pytest.raises(DeviceTimeout) as e:
        sim.exec("print('start')\nwhile True:\n    pass", timeout=0.3)
    assert e.value.output == "start\n"
    # A program that catches the first KeyboardInterrupt is stopped anyway.
    stubborn = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass"
    with pytest.raises(DeviceTimeout):
        sim.exec(stubborn, timeout=0.3)
    timer = threading.Timer(0.3, sim.interrupt)
    timer.start()
    with pytest.raises(DeviceError) as e:
        sim.exec("while True:\n    pass")
    assert e.value.exc_type == "KeyboardInterrupt"


def test_store_memory_and_heap(sim, tmp_path):
    sim.push("data.bin", b"\x00\x01\x02")
    sim.push("helpers.py", b"def twice(x):\n    return 2 * x\n")
    names = {f["name"]: f for f in sim.ls()}
    assert names["data.bin"]["size"] == 3 and names["helpers.py"]["kind"] == "image"
    assert sim.cat("data.bin") == b"\x00\x01\x02"
    assert sim.exec("import helpers\nprint(helpers.twice(21))") == "42\n"
    sim.rm("data.bin")
    assert "data.bin" not in {f["name"] for f in sim.ls()}
    # The simulator's GPIO DATA register.
    sim.poke(0x40001000, 0xA5, width=8)
    assert sim.peek(0x40001000, width=8) == [0xA5]
    assert set(sim.heap_stats()) >= {"total", "used", "free", "objects"}
    prog = tmp_path / "prog.py"
    (tmp_path / "mod.py").write_text("VALUE = 7\n")
    prog.write_text("import mod\nprint(mod.VALUE * 6)\n")
    assert sim.run_file(prog) == "42\n"


def test_sync_sends_a_folder_then_only_what_changed(sim, tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "util.py").write_text("def triple(x):\n    return 3 * x\n")
    (tmp_path / "notes.txt").write_text("hi")
    done = sim.sync(tmp_path)
    assert "lib/util.py" in done["sent"] and "notes.txt" in done["sent"]
    assert sim.exec("import lib.util\nprint(lib.util.triple(14))") == "42\n"
    assert sim.sync(tmp_path)["sent"] == []
    (tmp_path / "notes.txt").unlink()
    assert "notes.txt" in sim.sync(tmp_path, delete=True)["removed"]


def test_transcript_and_reset(sim):
    sim.exec("print('one')")
    sim.exec("x = 1\nprint('two')")
    assert sim.transcript == "one\ntwo\n"
    sim.clear_transcript()
    assert sim.transcript == ""
    sim.reset()
    with pytest.raises(DeviceError):
        sim.eval("x")


def test_a_closed_device_and_a_missing_one():
    d = Device("sim", heap=16384)
    assert d.info["board"] == "posix-sim" and d.info["heap_bytes"] <= 16384
    d.close()
    d.close()
    with pytest.raises(LinkError):
        d.exec("1")
    with pytest.raises(LinkError):
        Device("tcp:127.0.0.1:1")
    assert p14p.__all__


def test_ctrl_c_interrupts_the_program_on_the_device(sim):
    import os
    import signal

    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    # KeyboardInterrupt here, not a hang: the device's program was stopped.
    with pytest.raises(KeyboardInterrupt):
        sim.exec("while True:\n    pass")
    assert sim.eval("1 + 1") == 2


def test_watch_sees_what_a_program_does_to_a_register(sim):
    gpio = 0x40001000
    blink = "import machine, time\nfor v in (1, 0, 1, 0):\n    machine.mem32[0x40001000] = v\n    time.sleep_ms(150)"
    changes = sim.watch([gpio], blink, interval=0.02)
    values = [new for (_, addr, _, new) in changes]
    assert all(addr == gpio for (_, addr, _, _) in changes)
    assert values[-4:] == [1, 0, 1, 0]
    times = [t for (t, _, _, _) in changes]
    assert times == sorted(times)
