# Raising and catching exceptions, try/finally on hot paths.
class SensorError(Exception):
    pass

def read(i):
    if i % 5 == 0:
        raise SensorError(i)
    return i

def run(n):
    ok = 0
    bad = 0
    for i in range(n):
        try:
            ok += read(i)
        except SensorError as e:
            bad += e.args[0] & 3
        finally:
            ok &= 0xFFFFF
    return ok + bad

print("exceptions", run(200000))
