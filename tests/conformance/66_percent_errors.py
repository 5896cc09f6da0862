# The errors of str % values, with CPython's messages.
cases = [
    ("%d", ("x",)),
    ("%i", ([],)),
    ("%x", ("x",)),
    ("%x", (1.5,)),
    ("%o", (None,)),
    ("%f", ("x",)),
    ("%e", ([1],)),
    ("%d %d", (1,)),
    ("%d", (1, 2)),
    ("abc %z", (1,)),
    ("%s %y", (1, 2)),
    ("%d%%", (True,)),
    ("%5.1f|%-4d|%x|%o", (2.25, 7, 255, 8)),
]
for fmt, args in cases:
    try:
        print(repr(fmt % args))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
