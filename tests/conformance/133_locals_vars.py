# locals() and vars() without arguments: a snapshot dict of the frame's
# bound names (parameters, locals, cells, free variables) in a function,
# the namespace in a class body, the globals at module level.


def plain(a, b=2, *rest, **kw):
    x = a + b
    print(sorted(locals().items()))
    y = 10
    snap = locals()
    y = 11
    print(snap["y"], y, "snap" in snap)
    return vars()


print(sorted(plain(1, extra=3).keys()))


def unbound(flag):
    if flag:
        later = 1
    return locals()


print(unbound(False), unbound(True))


def closures(p, c):
    y = 1
    x = 2

    def inner():
        return c + y

    got = locals()
    del got["inner"]
    print(got)

    def reader():
        z = y + c
        return locals()

    return reader()


print(closures(5, 6))


def keys_in_order(q):
    z = 1
    b = 2
    m = 3
    return list(locals())


print(keys_in_order(0))


class Box:
    size = 3
    names = sorted(k for k in locals() if not k.startswith("__"))
    ns = vars()


print(Box.names, "size" in Box.ns)

top = 5
print(locals() is globals(), vars() is globals(), locals()["top"])


def shadow():
    locals = lambda: "mine"
    return locals()


print(shadow())


def in_loop():
    out = []
    for i in range(3):
        out.append(len(locals()))
    return out


print(in_loop())
