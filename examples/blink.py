# Blink the board's LED with machine.Pin, as on any MicroPython board.
# 'LED' is the simulator's pin 0 (GPIO.DATA bit 0), the Pico's GPIO25,
# the LM3S6965 EVB's PF0 and the micro:bit's ROW1 (P0.13, with COL1 low:
# the top-left LED). On the built-in simulator, watch the register change:
#   p14p watch GPIO.DATA --svd ports/posix/svd/p14p-sim.svd --run examples/blink.py
# Each state is held for 500 ms: `watch` samples every 100 ms by default.
from machine import Pin
from time import sleep_ms

led = Pin("LED", Pin.OUT, value=0)
for i in range(6):
    led.toggle()
    print("LED", "on" if led.value() else "off")
    sleep_ms(500)
