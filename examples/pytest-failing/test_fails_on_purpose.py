"""A test that fails on purpose: CI runs it alone and checks that its report
shows the device's output and traceback (see .ci/run). Not part of the
passing examples in ../pytest."""


def test_fails_with_the_devices_traceback(p14p_device):
    p14p_device.exec(
        "def checksum(data):\n"
        "    print('summing', len(data), 'bytes')\n"
        "    return sum(data) // (len(data) - 3)\n"
        "checksum(b'abc')\n"
    )
