# machine.freq() is the system clock the port sets up (50 MHz from the
# PLL, ports/lm3s6965/src/clock.rs); machine.idle() waits for the next
# interrupt (SysTick at the latest) and returns None. By construction.
import machine

print("freq", machine.freq())
print("idle", machine.idle())
