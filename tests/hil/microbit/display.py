# The LED matrix's pins through GPIO P0 (as examples/microbit/display.py
# drives them): rows P0.13-15 high, columns P0.4-12 low light the LEDs.
# By construction: OUT and DIR read back what is written (and FICR's
# CODEPAGESIZE is the nRF51's 1 KiB page).
import machine

GPIO = 0x50000000
OUT = GPIO + 0x504
DIR = GPIO + 0x514
ROWS = 0b111 << 13
COLS = 0x1FF << 4
machine.mem32[DIR] = ROWS | COLS
for row in range(3):
    machine.mem32[OUT] = 1 << (13 + row)
    print("row", row, hex(machine.mem32[OUT] & (ROWS | COLS)))
machine.mem32[OUT] = COLS
print(hex(machine.mem32[DIR] & (ROWS | COLS)), hex(machine.mem32[OUT] & ROWS))
print(machine.mem32[0x10000010])
