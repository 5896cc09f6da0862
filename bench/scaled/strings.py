# String methods, slicing, formatting and joining.
def run(n):
    parts = []
    count = 0
    for i in range(n):
        s = "sensor-%d:%d" % (i % 97, i * 3)
        name, value = s.split(":")
        if name.startswith("sensor-1"):
            count += 1
        parts.append(value[-2:])
        if len(parts) > 64:
            joined = ",".join(parts)
            count += len(joined.upper().replace(",", ""))
            parts = []
    return count

print("strings", run(75000))
