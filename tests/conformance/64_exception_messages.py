# str(e), repr(e), e.args and print(e) of exceptions the VM raises: the
# device keeps no message texts and asks the host for them (protocol 7).


class Box:
    pass


def show(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, "|", e, "|", repr(e), "|", e.args, len(str(e)))


five = 5
cases = [
    lambda: [].pop(),
    lambda: [][1],
    lambda: (1, 2)[5],
    lambda: {}["k"],
    lambda: 1 // 0,
    lambda: 1 % 0,
    lambda: int("x"),
    lambda: undefined_name,
    lambda: "a" - 1,
    lambda: [1] * "b",
    lambda: Box() + 1,
    lambda: None.foo,
    lambda: Box().missing,
    lambda: len(5),
    lambda: [].index(3),
    lambda: iter(5),
    lambda: five(),
    lambda: five[0],
    lambda: 2.5 / 0,
    lambda: 2.5 // 0,
    lambda: 2.5 % 0,
    lambda: divmod(7, 0),
    lambda: divmod(7.5, 0),
    lambda: (1, 2) * 2.0,
    lambda: 3 * "x" * "y",
]
for f in cases:
    show(f)

# The text is asked once: it stays the exception's argument.
try:
    [][0]
except IndexError as e:
    first = str(e)
    print(first == str(e), e.args[0] is e.args[0], f"{e}", "%s" % e)

# Exceptions made by Python code are untouched.
try:
    raise ValueError("mine", 2)
except ValueError as e:
    print(e, e.args, repr(e))

# In a message of one's own.
try:
    {}["missing"]
except KeyError as e:
    print("lookup failed:", e)
try:
    int("12a")
except ValueError as e:
    msg = "bad input (" + str(e) + ")"
    print(msg, len(msg))
