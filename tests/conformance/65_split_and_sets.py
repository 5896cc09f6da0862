# str.rsplit on whitespace with a limit, and set operations keeping the
# left operand's type.
for s in ["a  b c", "a  b c ", "  a  b c", " x ", "", "   ", "one"]:
    for n in [-1, 0, 1, 2, 5]:
        print(repr(s), n, s.rsplit(None, n), s.split(None, n))
print("a,b,,c".rsplit(",", 2), "a,b,,c".rsplit(","))

f = frozenset([1, 2])
s = {2, 3}
for r in [f | s, f & s, f - s, f ^ s, f.union(s), f.intersection(s), f.difference(s),
          f.symmetric_difference(s), s | f, s.union(f)]:
    print(type(r).__name__, sorted(r))

# A frozenset has no mutating methods.
for name in ["add", "remove", "discard", "pop", "clear", "update", "union", "copy"]:
    print(name, hasattr(frozenset(), name), hasattr(set(), name))
try:
    frozenset([1]).add(2)
except AttributeError as e:
    print("AttributeError", e)
