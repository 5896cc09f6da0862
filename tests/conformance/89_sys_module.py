# sys: the names MicroPython and CPython share, with CPython's behaviour
# (what differs by implementation, as sys.implementation.name or
# sys.platform, only by type).
import sys

print(sys.byteorder)
print(sys.maxsize >= 2**31 - 1)
print(type(sys.argv).__name__, type(sys.path).__name__, type(sys.modules).__name__)
print(type(sys.platform).__name__, len(sys.platform) > 0)
print(type(sys.implementation.name).__name__, len(sys.implementation.name) > 0)
print(sys.version_info[0], sys.version_info >= (3, 4), sys.version_info[:2] >= (3, 4))
print(type(sys.version).__name__, sys.version[:2])
n = sys.stdout.write("written\n")
print(n)
print(sys.stdout.write(""))
for args in ((), (None,), (0,), (3,), ("bye",)):
    try:
        sys.exit(*args)
    except SystemExit as e:
        print("SystemExit", e.args, isinstance(e, Exception), isinstance(e, BaseException))


def leave():
    try:
        sys.exit(1)
    finally:
        print("finally runs")


try:
    leave()
except SystemExit:
    print("caught")
print(sys.modules is sys.modules, sys.stdout is sys.stdout)
from sys import byteorder, maxsize

print(byteorder, maxsize == sys.maxsize)
