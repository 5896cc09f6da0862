# Cold bytes and bytearray methods, run from the firmware's frozen library
# (module _bytes; device/src/vm/frozen.rs). Those whose code is the same for
# str are str's (lib/str.py), imported here by name.

from _str import partition, rpartition, rsplit

