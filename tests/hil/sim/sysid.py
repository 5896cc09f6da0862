# The SYSID block identifies the device: read-only registers.
# Uses `machine`, so sysid.exp is written by construction (see README.md).
import machine

SYSID = 0x40000000
device_id = machine.mem32[SYSID]
print(hex(device_id))
print("family", hex(device_id >> 16))
version = machine.mem32[SYSID + 4]
print("protocol", version >> 16, "image format", version & 0xFFFF)
try:
    machine.mem32[SYSID] = 0
except Exception as e:
    print("write refused:", type(e).__name__)
