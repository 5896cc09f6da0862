# machine.Pin on the micro:bit: Pin(13) is ROW1 alone (COL1 untouched);
# 'LED' is the matrix's top-left LED, ROW1 (P0.13) made an output with
# COL1 (P0.4) an output driven low; toggles show in GPIO OUT bit 13; modes
# and pulls show in PIN_CNF[n] (DIR bit 0, PULL bits 2-3, DRIVE bits 8-10:
# 6 is open drain); an open-drain pin released reads its pull-up, driven
# reads 0; P0.24/P0.25 (UART0) and ids past 32 are no pins. By
# construction: the registers hold what the pins were told (see README.md).
import machine
from machine import Pin

GPIO = 0x50000000
OUT, DIR = GPIO + 0x504, GPIO + 0x514
ROW1, COL1 = 1 << 13, 1 << 4


def cnf(n):
    return machine.mem32[GPIO + 0x700 + 4 * n]


Pin(4, Pin.IN)
Pin(13, Pin.OUT)
print("row only", machine.mem32[DIR] & (ROW1 | COL1) == ROW1)
led = Pin("LED", Pin.OUT, value=0)
print("out", machine.mem32[DIR] & (ROW1 | COL1) == ROW1 | COL1, machine.mem32[OUT] & COL1)
seen = []
for _ in range(4):
    led.toggle()
    seen.append((led.value(), machine.mem32[OUT] & ROW1 == ROW1))
print("toggle", seen)
led.off()
print("off", machine.mem32[OUT] & ROW1)
Pin(3, Pin.IN, Pin.PULL_UP)
print("pull up", cnf(3) & 3, cnf(3) >> 2 & 3)
Pin(3, pull=Pin.PULL_DOWN)
print("pull down", cnf(3) >> 2 & 3)
od = Pin(16, Pin.OPEN_DRAIN, Pin.PULL_UP, value=1)
print("open drain", cnf(16) & 1, cnf(16) >> 8 & 7, od.value())
od.off()
print("driven", od.value())
for bad in (24, 25, 33):
    try:
        Pin(bad)
    except ValueError:
        print("no pin", bad)
try:
    Pin(3, 3)
except ValueError:
    print("no mode 3")
