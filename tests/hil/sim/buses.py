# machine.I2C, SPI and UART on the simulator's buses
# (ports/posix/src/buses.rs): the I2C scan finds the sensor (0x48) and
# the EEPROM (0x50); registers read and write with MicroPython's methods;
# a silent address is OSError ENODEV; SPI and UART are loopbacks. By
# construction from the simulated devices (see README.md).
from machine import I2C, SPI, UART

i2c = I2C(0, freq=400000)
print("scan", [hex(a) for a in i2c.scan()])
print("temp", i2c.readfrom_mem(0x48, 0, 2), "who", i2c.readfrom_mem(0x48, 0x0F, 1))
i2c.writeto_mem(0x48, 2, b"\x60")
print("config", i2c.readfrom_mem(0x48, 2, 1))
print("writeto", i2c.writeto(0x50, b"\x10abc"))
buf = bytearray(3)
i2c.readfrom_mem_into(0x50, 0x10, buf)
print("eeprom", buf, i2c.readfrom_mem(0x50, 0x13, 1))
i2c.writeto(0x50, b"\x11")
print("readfrom", i2c.readfrom(0x50, 2))
i2c.readfrom_into(0x50, buf)
print("readfrom_into", buf)
try:
    i2c.readfrom(0x23, 1)
except OSError as e:
    print("no device", e.errno, e)
for bad in (lambda: I2C(1), lambda: SPI(2), lambda: UART(0)):
    try:
        bad()
    except ValueError as e:
        print(e)

spi = SPI(0, baudrate=8000000, polarity=1, phase=1)
print("spi read", spi.read(2), spi.read(2, 0xA5))
spi.write(b"ignored")
rx = bytearray(4)
spi.write_readinto(b"\x01\x02\x03\x04", rx)
spi.readinto(buf, 7)
print("spi", rx, buf)
try:
    spi.write_readinto(b"12", rx)
except ValueError as e:
    print(e)

uart = UART(1, 115200)
print("uart", uart.any(), uart.read(), uart.readline())
print("sent", uart.write(b"AT\r\nOK\r\n"), uart.any())
print("lines", uart.readline(), uart.readline(), uart.readline())
uart.write(b"0123456789")
print("read", uart.read(4), uart.readinto(rx), rx, uart.read())
