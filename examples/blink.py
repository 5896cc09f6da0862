# "Blink" the simulated board's LED by writing its GPIO output register,
# as you would on a microcontroller. On the built-in simulator the register
# lives at 0x4000_1000 (GPIO.DATA); watch it change while this runs:
#   p14p watch GPIO.DATA --svd ports/posix/svd/p14p-sim.svd --run examples/blink.py
# Each state is held for 300 ms: `watch` samples every 100 ms by default,
# and toggles with no pause in between would come and go unseen.
import machine

GPIO_OUT = 0x4000_1000
LED = 1 << 0
HOLD_MS = 300


def hold(ms):
    start = machine.ticks_ms()
    while machine.ticks_ms() - start < ms:
        pass


for i in range(6):
    value = machine.mem32(GPIO_OUT)
    machine.mem32(GPIO_OUT, value ^ LED)
    print("LED", "on" if machine.mem32(GPIO_OUT) & LED else "off")
    hold(HOLD_MS)
