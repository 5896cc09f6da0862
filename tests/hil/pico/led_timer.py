# The Pico's onboard LED (GPIO25) through IO_BANK0 and SIO, its USER RAM
# (SRAM5, 0x20041000) and the 1 MHz TIMER. By construction: the expected
# output follows from the values written, and from the TIMER counting up.
import machine

LED = 1 << 25
GPIO25_CTRL = 0x400140CC
GPIO_OUT, OUT_SET, OUT_CLR, OUT_XOR, OE_SET = 0xD0000010, 0xD0000014, 0xD0000018, 0xD000001C, 0xD0000024

machine.mem32[GPIO25_CTRL] = 5  # FUNCSEL: SIO
machine.mem32[OE_SET] = LED
machine.mem32[OUT_CLR] = LED
print("sio", machine.mem32[GPIO25_CTRL] & 0x1F, machine.mem32[GPIO_OUT] & LED == 0)
lit = []
for _ in range(4):
    machine.mem32[OUT_XOR] = LED
    lit.append(machine.mem32[GPIO_OUT] & LED == LED)
print("blink", lit)
machine.mem32[OUT_SET] = LED
print("on", machine.mem32[GPIO_OUT] & LED == LED)
machine.mem32[OUT_CLR] = LED

USER = 0x20041000
for i in range(8):
    machine.mem32[USER + 4 * i] = 0x01010101 * i
print([machine.mem32[USER + 4 * i] & 0xFF for i in range(8)])
machine.mem8[USER + 4095] = 0xAB
print(hex(machine.mem8[USER + 4095]), hex(machine.mem16[USER + 6]))

TIMERAWL = 0x40054028
t0 = machine.mem32[TIMERAWL]
n = 0
for i in range(2000):
    n += i
t1 = machine.mem32[TIMERAWL]
print("timer", n, (t1 - t0) & 0xFFFFFFFF > 0)
