# machine.unique_id() is the QSPI flash chip's 64-bit id (READ_UNIQUE_ID),
# read once at boot: 8 bytes, the same on every call. (CI also compares
# its hex with the id rp2040js's bridge gives its emulated flash chip.)
import machine

u = machine.unique_id()
print(type(u).__name__, len(u), u == machine.unique_id())
