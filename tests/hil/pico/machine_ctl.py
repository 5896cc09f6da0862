# machine.freq() is the RP2040's clk_sys, 125 MHz from the PLL;
# machine.idle() waits (the port's idle) and returns None. By
# construction.
import machine

print("freq", machine.freq())
print("idle", machine.idle())
