# GPIO DATA holds what is written; narrow writes change only their bytes.
# Uses `machine`, so gpio.exp is written by construction (see README.md).
import machine

GPIO_DATA = 0x40001000
GPIO_DIR = 0x40001004
machine.mem32[GPIO_DIR] = 0xFF
for pin in range(4):
    machine.mem32[GPIO_DATA] = 1 << pin
    assert machine.mem32[GPIO_DATA] == 1 << pin
    print("pin", pin, machine.mem8[GPIO_DATA])
machine.mem32[GPIO_DATA] = 0x12345678
machine.mem8[GPIO_DATA] = 0xAB
print(hex(machine.mem32[GPIO_DATA]), hex(machine.mem16[GPIO_DATA + 2]))
machine.mem32[GPIO_DATA] = 0
print(machine.mem32[GPIO_DATA], machine.mem32[GPIO_DIR])
