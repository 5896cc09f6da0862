# Plain logic, CPython-compatible: logic.exp is what python3 prints.
def crc8(data, poly=0x07):
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = ((crc << 1) ^ poly) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc

frames = [[1, 2, 3], [0xFF] * 4, list(range(16))]
for f in frames:
    print(len(f), hex(crc8(f)))

# A tiny state machine, as firmware would run it.
state = "idle"
events = ["press", "hold", "release", "press", "release"]
table = {("idle", "press"): "down", ("down", "hold"): "held",
         ("held", "release"): "idle", ("down", "release"): "idle"}
for e in events:
    state = table.get((state, e), state)
    print(e, "->", state)
