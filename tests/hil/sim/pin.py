# machine.Pin on the simulated GPIO block (ports/posix/src/gpio.rs): the
# LED pin's toggles in DATA and IN, an input's pull, a floating input
# following EXT. By construction: each register holds what the pins were
# told (see README.md).
import machine
from machine import Pin

GPIO = 0x40001000
DATA, DIR, PULLUP, IN, EXT = GPIO, GPIO + 4, GPIO + 8, GPIO + 0x14, GPIO + 0x18

led = Pin("LED", Pin.OUT, value=1)
print("out", machine.mem32[DIR] & 1, machine.mem32[DATA] & 1)
seen = []
for _ in range(4):
    led.toggle()
    seen.append((led.value(), machine.mem32[DATA] & 1, machine.mem32[IN] & 1))
print("toggle", seen)
button = Pin(1, Pin.IN, Pin.PULL_UP)
print("pull up", button.value(), machine.mem32[PULLUP] >> 1 & 1)
button.init(pull=None)
machine.mem32[EXT] = 0
print("floating", button(), end=" ")
machine.mem32[EXT] = 2
print(button())
led.off()
print("off", machine.mem32[DATA] & 1)
