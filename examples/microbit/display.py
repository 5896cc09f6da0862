# Light every LED of a BBC micro:bit v1's display through machine.mem32:
# `p14p run examples/microbit/display.py -p /dev/ttyACM0` (or
# `-p qemu:microbit`, where only GPIO's registers show it).
#
# The 25 LEDs are wired as a 3 x 9 matrix: row pins P0.13-P0.15 (drive
# high to select a row), column pins P0.4-P0.12 (drive low to light that
# column's LED in the selected row). Selecting one row at a time, fast
# enough, shows them all: this is what the micro:bit's runtime does from
# a timer interrupt.
import machine

GPIO = 0x50000000
OUT = GPIO + 0x504
DIR = GPIO + 0x514
ROWS = 0b111 << 13
COLS = 0x1FF << 4

machine.mem32[DIR] = ROWS | COLS  # all 12 pins outputs
for frame in range(2000):
    row = frame % 3
    # This row high, every column low: its nine LEDs light.
    machine.mem32[OUT] = 1 << (13 + row)
    for _ in range(20):  # let it glow a little before the next row
        pass
machine.mem32[OUT] = COLS  # rows low, columns high: all off
print("display done")
