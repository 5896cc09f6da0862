# Cold tuple methods, run from the firmware's frozen library (module _tuple;
# device/src/vm/frozen.rs): the special methods called by name, list's.

from _list import __contains__, __getitem__, __iter__, __len__
