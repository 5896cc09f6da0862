# "Blink" the simulated board's LED by writing its GPIO output register,
# as you would on a microcontroller. On the built-in simulator the register
# lives at 0x4000_1000; watch it from another terminal with
#   p14p peek 0x40001000
# (each `p14p` command starts its own simulator, so on real hardware or a
# shared `p14p-device --tcp` you see it change).
import machine

GPIO_OUT = 0x4000_1000
LED = 1 << 0

for i in range(6):
    value = machine.mem32(GPIO_OUT)
    machine.mem32(GPIO_OUT, value ^ LED)
    print("LED", "on" if machine.mem32(GPIO_OUT) & LED else "off")
