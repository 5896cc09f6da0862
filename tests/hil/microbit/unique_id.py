# machine.unique_id() is the nRF51's factory device id: FICR DEVICEID[0]
# then DEVICEID[1], each little-endian. By construction: compared with the
# two FICR words read through machine.mem32.
import machine

u = machine.unique_id()
lo, hi = machine.mem32[0x10000060], machine.mem32[0x10000064]
print(type(u).__name__, len(u), u == lo.to_bytes(4, "little") + hi.to_bytes(4, "little"))
print(u == machine.unique_id())
