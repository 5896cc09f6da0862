# binascii: hex, base64 and CRC-32, against CPython's results and errors.
import binascii

print(binascii.hexlify(b""), binascii.hexlify(b"\x00\x01\x7f\x80\xff"), binascii.hexlify(bytearray(b"AZ")))
print(binascii.hexlify(b"\x12\x34\x56", ":"), binascii.hexlify(b"\xab\xcd", b"-"), binascii.hexlify(b"\x01", " "))
print(binascii.unhexlify("0001ff7F"), binascii.unhexlify(b"abCD"), binascii.unhexlify(""), binascii.unhexlify(bytearray(b"41")))
for bad in ("abc", "zz", "0g", "12 4", b"1", "  "):
    try:
        binascii.unhexlify(bad)
    except ValueError as e:
        print(type(e).__name__, e, isinstance(e, binascii.Error))
for n in range(8):
    data = bytes(range(250, 250 - n, -1)) if n % 2 else b"hello world"[:n]
    enc = binascii.b2a_base64(data)
    print(data, enc, binascii.b2a_base64(data, newline=False), binascii.a2b_base64(enc) == data)
print(binascii.b2a_base64(bytes(range(64))))
print(binascii.a2b_base64("aGVsbG8="), binascii.a2b_base64(b"aGVs\nbG8=\n"), binascii.a2b_base64("aG!V*sbA=="))
print(binascii.a2b_base64("aGk=trailing"), binascii.a2b_base64("aG=="), binascii.a2b_base64("aGVs=="), binascii.a2b_base64(""))
print(binascii.a2b_base64("a=G=k="), binascii.a2b_base64("====aGk="), binascii.a2b_base64(bytearray(b"+/+/")))
for bad in ("a", "aGVsb", "aG", "aGV", "aG=", "aGVsbG8", "abcde==="):
    try:
        print(binascii.a2b_base64(bad))
    except ValueError as e:
        print(type(e).__name__, e)
print(binascii.crc32(b""), binascii.crc32(b"a"), binascii.crc32(b"123456789"), binascii.crc32(b"hello world"))
print(binascii.crc32(b"world", binascii.crc32(b"hello ")), binascii.crc32(bytes(range(256))), binascii.crc32(b"\xff" * 9))
print(binascii.crc32(b"abc", 0xFFFFFFFF), binascii.crc32(b"abc", -1), binascii.crc32(bytearray(b"xyz"), 12345))
