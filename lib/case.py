# str.upper() and str.lower() past ASCII, run from the firmware's frozen
# library (module _case; device/src/obj/str/methods.rs): the native methods
# map ASCII and call these for a str with other letters, so only such a
# program loads the tables. CPython's mapping
# for Latin-1, Latin Extended-A, basic Greek and Cyrillic (U+0000-U+045F
# but U+0130 and U+0149, whose mappings are two characters); other letters
# are left as they are. (first, last, delta): upper() adds delta to a code
# point in the range; lower() undoes it, first match wins (so the one-way
# specials come last).
_UPPER = (
    (97, 122, -32),
    (224, 246, -32),
    (248, 254, -32),
    (945, 961, -32),
    (963, 971, -32),
    (1072, 1103, -32),
    (1104, 1119, -80),
    (940, 940, -38),
    (941, 943, -37),
    (972, 972, -64),
    (973, 974, -63),
    (255, 255, 121),
    (181, 181, 743),
    (962, 962, -31),
    (305, 305, -232),
    (383, 383, -300),
)
# Latin Extended-A's letter pairs: (first, last, parity of the capitals).
_PAIRS = ((256, 303, 0), (306, 311, 0), (313, 328, 1), (330, 375, 0), (377, 382, 1))


def _case(self, up):
    out = []
    for c in self:
        o = ord(c)
        if o > 1119:
            out.append(c)
            continue
        if o == 223 and up:
            out.append("SS")
            continue
        for a, b, d in _UPPER:
            if up and a <= o <= b:
                o += d
                break
            if not up and a + d <= o <= b + d:
                o -= d
                break
        else:
            for a, b, p in _PAIRS:
                if a <= o <= b:
                    if up and o & 1 != p:
                        o -= 1
                    elif not up and o & 1 == p:
                        o += 1
                    break
        out.append(chr(o))
    return "".join(out)


def upper(self):
    return _case(self, True)


def lower(self):
    return _case(self, False)
