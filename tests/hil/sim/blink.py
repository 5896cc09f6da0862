# Steps GPIO DATA through 1..5, holding each value for 50 ms of the
# simulator's TIMER.MS register. `p14p watch GPIO.DATA --run` shows each
# change. Uses `machine`, so blink.exp is written by construction.
import machine

GPIO_DATA = 0x40001000
TIMER_MS = 0x40000100
for i in range(1, 6):
    machine.mem32[GPIO_DATA] = i
    t = machine.mem32[TIMER_MS]
    while machine.mem32[TIMER_MS] - t < 50:
        pass
print("done")
