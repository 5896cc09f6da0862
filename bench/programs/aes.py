# AES-128 in pure Python (FIPS-197): the S-box built from GF(2**8)
# inverses, the key schedule, and CTR-mode encryption of 16 KiB, checked
# against FIPS-197's example vector. Stresses byte arithmetic, list and
# bytearray indexing, and function calls.


def xtime(a):
    a <<= 1
    return a ^ 0x11B if a & 0x100 else a


def gmul(a, b):
    p = 0
    while b:
        if b & 1:
            p ^= a
        a = xtime(a)
        b >>= 1
    return p


def make_sbox():
    inv = [0] * 256
    for a in range(1, 256):
        for b in range(1, 256):
            if gmul(a, b) == 1:
                inv[a] = b
                break
    sbox = []
    for a in range(256):
        x = inv[a]
        s = x
        for _ in range(4):
            x = ((x << 1) | (x >> 7)) & 0xFF
            s ^= x
        sbox.append(s ^ 0x63)
    return sbox


SBOX = make_sbox()
MUL2 = [xtime(a) for a in range(256)]


def expand_key(key):
    w = [list(key[i : i + 4]) for i in range(0, 16, 4)]
    rcon = 1
    for i in range(4, 44):
        t = w[i - 1][:]
        if i % 4 == 0:
            t = t[1:] + t[:1]
            t = [SBOX[b] for b in t]
            t[0] ^= rcon
            rcon = xtime(rcon)
        w.append([a ^ b for a, b in zip(w[i - 4], t)])
    # One flat list of 16 bytes per round.
    return [sum(w[4 * r : 4 * r + 4], []) for r in range(11)]


def encrypt_block(rk, block):
    s = [b ^ k for b, k in zip(block, rk[0])]
    for r in range(1, 11):
        # SubBytes and ShiftRows together: column c of the result takes
        # row i from column c + i.
        t = [SBOX[s[(4 * (c + i) + i) % 16]] for c in range(4) for i in range(4)]
        if r < 10:
            # MixColumns.
            m = []
            for c in range(0, 16, 4):
                a0, a1, a2, a3 = t[c], t[c + 1], t[c + 2], t[c + 3]
                x = a0 ^ a1 ^ a2 ^ a3
                m.append(a0 ^ x ^ MUL2[a0 ^ a1])
                m.append(a1 ^ x ^ MUL2[a1 ^ a2])
                m.append(a2 ^ x ^ MUL2[a2 ^ a3])
                m.append(a3 ^ x ^ MUL2[a3 ^ a0])
            t = m
        k = rk[r]
        s = [t[i] ^ k[i] for i in range(16)]
    return s


def ctr(rk, nonce, data):
    out = bytearray(len(data))
    for n in range(0, len(data), 16):
        counter = nonce + [(n >> 12) & 0xFF, (n >> 4) & 0xFF, 0, 0]
        ks = encrypt_block(rk, counter)
        for i in range(min(16, len(data) - n)):
            out[n + i] = data[n + i] ^ ks[i]
    return out


rk = expand_key(bytes(range(16)))
vector = encrypt_block(rk, list(bytes.fromhex("00112233445566778899aabbccddeeff")))
print(bytes(vector).hex())
assert bytes(vector).hex() == "69c4e0d86a7b0430d8cdb78070b4c55a"

data = bytearray((i * 7 + 3) & 0xFF for i in range(32768))
nonce = list(range(12))
enc = ctr(rk, nonce, data)
dec = ctr(rk, nonce, enc)
print(dec == data)
acc = 0
for b in enc:
    acc = (acc * 31 + b) % 1000000007
print(acc)
