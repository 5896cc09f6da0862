# machine.freq() is the nRF51's 16 MHz core clock; machine.idle() waits
# for the next interrupt (TIMER0's tick at the latest) and returns None.
# By construction.
import machine

print("freq", machine.freq())
print("idle", machine.idle())
