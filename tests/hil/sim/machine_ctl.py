# machine.freq(), idle() and soft_reset() on the simulator (MicroPython's
# API): freq is the simulator's stated 100 MHz; idle returns None; a
# soft reset ends the program at once, whatever it catches, and the run
# ends cleanly (the host sees SystemExit). By construction.
import machine

print("freq", machine.freq())
print("idle", machine.idle())
try:
    print("soft reset")
    machine.soft_reset()
    print("not reached")
except SystemExit:
    print("not caught")
finally:
    print("no finally")
print("not reached either")
