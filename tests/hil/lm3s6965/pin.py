# machine.Pin on the LM3S6965: 'LED' is PF0 (id 40), made a digital output
# (GPIOF clocked in SYSCTL RCGC2 bit 5; DIR, DEN set, AFSEL clear);
# toggles show in DATA bit 0; pulls show in PUR/PDR (one at a time), open
# drain in ODR; a level set while a pin is an input is driven once it is
# an output; PA0/PA1 (UART0), PB7 and PC0 (JTAG), PF4 (not on the part)
# and 56 are no pins. By construction: the registers hold what the pins
# were told (see README.md).
import machine
from machine import Pin

RCGC2 = 0x400FE108
PB, PD, PF = 0x40005000, 0x40007000, 0x40025000
DATA, DIR, AFSEL, ODR, PUR, PDR, DEN = 0x3FC, 0x400, 0x420, 0x50C, 0x510, 0x514, 0x51C


def bit(port, reg, n):
    return machine.mem32[port + reg] >> n & 1


led = Pin("LED", Pin.OUT, value=0)
print("clock", machine.mem32[RCGC2] >> 5 & 1)
print("out", bit(PF, DIR, 0), bit(PF, DEN, 0), bit(PF, AFSEL, 0), bit(PF, DATA, 0))
seen = []
for _ in range(4):
    led.toggle()
    seen.append((led.value(), bit(PF, DATA, 0)))
print("toggle", seen)
led.off()
print("off", bit(PF, DATA, 0))
Pin(11, Pin.IN, Pin.PULL_UP)
print("pull up", bit(PB, DIR, 3), bit(PB, PUR, 3), bit(PB, PDR, 3))
Pin(11, pull=Pin.PULL_DOWN)
print("pull down", bit(PB, PUR, 3), bit(PB, PDR, 3))
Pin(11, pull=None)
print("no pull", bit(PB, PUR, 3), bit(PB, PDR, 3))
od = Pin(26, Pin.OPEN_DRAIN, value=1)
print("open drain", bit(PD, ODR, 2), bit(PD, DIR, 2), od.value())
od.off()
print("driven", od.value(), bit(PD, DATA, 2))
p = Pin(27, Pin.IN)
p.on()
Pin(27, Pin.OUT)
print("latched", bit(PD, DIR, 3), bit(PD, DATA, 3))
for bad in (0, 1, 15, 16, 44, 56):
    try:
        Pin(bad)
    except ValueError:
        print("no pin", bad)
try:
    Pin(11, 3)
except ValueError:
    print("no mode 3")
