# json: dumps and loads, printing only what CPython and the device agree
# on (dicts in insertion order, floats as repr, errors by type).
import json

print(json.dumps(None), json.dumps(True), json.dumps(False), json.dumps(0), json.dumps(-12345678901234567890))
print(json.dumps(1.5), json.dumps(-0.0), json.dumps(1e22), json.dumps(0.1), json.dumps(2.5e-7))
print(json.dumps(float("inf")), json.dumps(-float("inf")), json.dumps(float("nan")))
print(json.dumps("plain"), json.dumps('q"b\\s/'), json.dumps("\n\r\t\b\f\x00\x1f\x7f"))
print(json.dumps("caf\u00e9 \u20ac \U0001f600"))
print(json.dumps([1, "a", None, [], {}, (2, 3)]))
print(json.dumps({"b": 1, "a": [True, False], "c": {"d": 1.25}}))
print(json.dumps({1: 2, True: 3, None: 4, 2.5: 5}))
print(json.dumps({"a": [1, 2], "b": 3}, separators=(",", ":")))
print(json.dumps([1, {"x": 2}], separators=(";", "=")))
from collections import namedtuple, defaultdict
dd = defaultdict(list)
dd["p"] = namedtuple("P", "x y")(1, [2])
print(json.dumps(dd), json.dumps([dd["p"], dd]))
for bad in ({1, 2}, b"x", [1, range(2)], {(1, 2): 3}, {"a": {(): 0}}):
    try:
        json.dumps(bad)
    except TypeError:
        print("TypeError", type(bad).__name__)

print(json.loads("null"), json.loads("true"), json.loads(" false "), json.loads("0"), json.loads("-7"))
print(json.loads("12345678901234567890"), json.loads("1.5"), json.loads("-2.5e-3"), json.loads("1E+2"), json.loads("0.0"))
print(repr(json.loads('"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"')))
print(json.loads('"caf\\u00e9 \\u20AC \\ud83d\\ude00"') == "caf\u00e9 \u20ac \U0001f600")
print(json.loads(' [1, "two", [3, [4]], {"k": null}, [], {}] '))
d = json.loads('{"z": 1, "a": {"b": [true, false]}, "m": -0.5}')
print(d, list(d))
print(json.loads(b'{"bytes": [1, 2]}'), json.loads(bytearray(b"[3]")))
print(json.loads("NaN") != json.loads("NaN"), json.loads("Infinity"), json.loads("-Infinity"))
print(json.loads("\t\n\r [ 1 , 2 ] \n"), json.loads('"\u00e9"'))
v = {"name": "sensor", "values": [1, 2.5, -3], "ok": True, "note": None, "s": "\u00b0C"}
print(json.loads(json.dumps(v)) == v, json.loads(json.dumps(v, separators=(",", ":"))) == v)
big = {"k%d" % i: [i, i / 4, "v" * 20, {"n": None}] for i in range(12)}
print(len(json.dumps(big)), json.loads(json.dumps(big)) == big, json.loads('"\u00e9\u00e8"'.encode()))
for bad in ("", " ", "[", "[1,]", "[1 2]", "{", '{"a"}', '{"a":}', '{"a":1,}', "{1: 2}", "01", "1.", ".5", "-", "+1",
            "1e", "1e+", "tru", "nul", "[1]x", '"abc', '"\\x"', '"\\u12"', '"\\u12g4"', '"a\nb"', "'a'", "[1]]", "{} {}",
            "[1]\x00", '"a\x00"', "\x00"):
    try:
        print(repr(bad), json.loads(bad))
    except ValueError:
        print(repr(bad), "ValueError")


class Out:
    # CPython's dump writes in pieces; only their sum is compared.
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)


class In:
    def read(self):
        return '{"from": "load"}'


for obj, seps in (({"to": ["dump"]}, None), ([1, 2], (",", ":"))):
    out = Out()
    json.dump(obj, out, separators=seps)
    print("".join(out.parts))
print(json.load(In()))
