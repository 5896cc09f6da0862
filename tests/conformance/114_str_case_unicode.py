# str.upper() and str.lower() past ASCII: Latin-1, Latin Extended-A, basic
# Greek and Cyrillic, as CPython maps them (ß -> SS), and everything else
# left as it is.
print("Straße café ÄÖÜ ÿ".upper())
print("ΑΒΓ ΆΈΉΏ Σ ПРИВЕТ Ÿ ЀЏ".lower())
print("ıſ µ ς".upper(), "aé".upper().lower())
print("x€y ✓".upper(), "X€Y".lower(), b"ab\xe9".upper())


def block(lo, hi, skip=()):
    cs = [chr(o) for o in range(lo, hi) if o not in skip]
    return "".join(c.upper() for c in cs), "".join(c.lower() for c in cs)


for lo, hi in ((0xC0, 0x100), (0x100, 0x180), (0x391, 0x3CF), (0x400, 0x460)):
    up, low = block(lo, hi, (0x130, 0x149, 0x390, 0x3B0))
    print(hex(lo), up)
    print(hex(lo), low)
