# The micro:bit's USER RAM (0x20003F00, 256 bytes) is free for programs:
# write a pattern, read it back in three widths. By construction: the
# expected output follows from the values written.
import machine

USER = 0x20003F00
for i in range(8):
    machine.mem32[USER + 4 * i] = 0x01010101 * i
print([machine.mem32[USER + 4 * i] & 0xFF for i in range(8)])
machine.mem8[USER] = 0xAB
print(hex(machine.mem32[USER]), hex(machine.mem16[USER + 4]))
