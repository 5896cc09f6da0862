# Cold bytes and bytearray methods, run from the firmware's frozen library
# (module _bytes; device/src/vm/frozen.rs). Those whose code is the same for
# str are str's (lib/str.py), imported here by name; the special methods
# called by name are list's.

from _list import __contains__, __getitem__, __iter__, __len__
from _str import partition, rindex, rpartition, rsplit

