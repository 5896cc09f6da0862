# machine.Pin on the Pico: 'LED' is GPIO25, made an SIO output
# (IO_BANK0 GPIO25_CTRL = 5, SIO GPIO_OE bit 25); toggles show in GPIO_OUT;
# a pull-up shows in the pad (PADS_BANK0 GPIO15 bit 3); GP0/GP1 (UART0) and
# GP30 are no pins. By construction: the registers hold what the pins were
# told (see README.md).
import machine
from machine import Pin

LED = 1 << 25
GPIO25_CTRL = 0x400140CC
PADS_GPIO15 = 0x4001C040
GPIO_OUT, GPIO_OE = 0xD0000010, 0xD0000020

led = Pin("LED", Pin.OUT, value=0)
print("sio", machine.mem32[GPIO25_CTRL] & 0x1F, machine.mem32[GPIO_OE] & LED == LED)
seen = []
for _ in range(4):
    led.toggle()
    seen.append((led.value(), machine.mem32[GPIO_OUT] & LED == LED))
print("toggle", seen)
led.off()
print("off", machine.mem32[GPIO_OUT] & LED)
Pin(15, Pin.IN, Pin.PULL_UP)
print("pull up", machine.mem32[PADS_GPIO15] >> 2 & 3)
Pin(15, pull=Pin.PULL_DOWN)
print("pull down", machine.mem32[PADS_GPIO15] >> 2 & 3)
for bad in (0, 1, 30):
    try:
        Pin(bad)
    except ValueError:
        print("no pin", bad)
