# Cold set methods, run from the firmware's frozen library (module _set;
# device/src/vm/frozen.rs); frozenset shares the module. The special
# methods called by name are list's.

from _list import __contains__, __iter__, __len__
