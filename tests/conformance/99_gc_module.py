# gc's functions CPython shares with MicroPython: enable, disable and
# isenabled (a program's garbage is still freed while disabled here only
# by gc.collect(), whose return value differs: CPython counts objects).
import gc

print(gc.isenabled())
gc.disable()
print(gc.isenabled())
junk = [[i] * 10 for i in range(50)]
junk = None
gc.collect()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())
gc.disable()
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.enable(), gc.disable(), gc.isenabled())
gc.enable()
