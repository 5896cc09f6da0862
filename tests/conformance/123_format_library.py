# str.format and printf-style % past the plain "%d:%s" shape, run from the
# frozen library (lib/format.py): fields by position, number, keyword,
# attribute and key, conversions, nested specs, escaped braces; % with
# flags, width, precision, mapping keys, %c, %r, %%; and their errors.
class P:
    x = 3
    name = "pt"

    def __repr__(self):
        return "P()"


p = P()
print("{} {} {}".format(1, "a", None))
print("{2}{1}{0}".format("a", "b", "c"), "{0}{0}".format("xy"))
print("{n}={v:>4}|".format(n="k", v=7), "{0.x} {0.name!r}".format(p))
print("{0[1]} {0[k]} {1[0][1]}".format({1: "one", "k": "kay"}, [[5, 6]]))
print("{!r} {!s} {!r:>6}|".format("q", p, 1.5))
print("{:{}{}}|{:.{}f}|{:{w}}|".format("c", ">", 4, 2.71828, 3, 9, w=3))
print("{{}} {{{}}} }}{{".format(0), "{}".format("{}"))
print("{:,} {:_x} {:+.1e} {:^7.2%}|".format(1234567, 65535, 12345.678, 0.125))
print("é{}ü{:>3}".format("ß", "ñ"), "{}".format([1, "a", (2,)]))
print("%s|%5s|%-5s|%.2s|%5.1s|" % ("abc", "ab", "ab", "abc", "xyz"))
print("%d|%5d|%-5d|%05d|%+d|% d|%+05d" % (1, 2, 3, -4, 5, 6, -7))
print("%x|%X|%#x|%#X|%o|%#o|%08x|%-#8x|" % (255, 255, 255, 255, 8, 8, 255, 255))
print("%f|%.2f|%8.3f|%-8.1f|%+.1f|%e|%.1E|%g|%G" % (1.5, 2.345, 3.5, 4.25, 5.0, 1234.5, 0.00012, 1e20, 1e-20))
print("%i|%u|%d|%x" % (3.9, -3.2, True, False), "%c%c|%3c|" % (72, "i", 33))
print("%r|%10r|%-6r|" % ("s", "t", 5), "%s %s" % ([1], (2,)), "%s" % (None,))
print("%(a)s-%(b)05.1f-%(a)r %%" % {"a": "x", "b": 2.25}, "%s" % {"k": 1})
print("100%% %s" % "done", "%5.1f%%" % 99.5, "%s" % 1.5, "%d" % 2**70)
tmpl = "{:<6}|{:>6.2f}|{:^5}"
for row in (("ab", 1.5, 3), ("cdef", -2.25, 12)):
    print(tmpl.format(*row), "%-6s|%6.2f|%5d" % row)
cases = [
    lambda: "{} {}".format(1),
    lambda: "{2}".format(1, 2),
    lambda: "{x}".format(y=1),
    lambda: "{0[5]}".format([1]),
    lambda: "{0.nope}".format(p),
    lambda: "%d %d" % (1,),
    lambda: "%d" % (1, 2),
    lambda: "%s %q" % (1, 2),
    lambda: "%d" % "s",
    lambda: "%x" % 2.5,
    lambda: "%f" % "s",
    lambda: "%(k)s" % {"j": 1},
    lambda: "%c" % "ab",
    lambda: "}".format(),
    lambda: "{".format(),
    lambda: "abc %" % (),
    lambda: "%(k" % {"k": 1},
]
for f in cases:
    try:
        print(repr(f()))
    except (IndexError, KeyError, AttributeError) as e:
        print(type(e).__name__)
    except TypeError as e:
        print("TypeError", e)
    except ValueError as e:
        # The last four have a message of the library's own.
        m = str(e)
        print("ValueError", m if m.startswith("unsupported") else "...")
