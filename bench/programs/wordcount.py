# Word counting: a text of 60,000 words drawn from a small vocabulary by a
# linear congruential generator, split into lines and words, counted in a
# dict, and the most common printed. Stresses str split/lower/strip, dict
# get/set and sorting with a key.

WORDS = (
    "the quick brown fox jumps over lazy dog and a pico talks to the host "
    "while micro bit blinks its leds under python on a chip with flash ram "
    "uart usb frame byte image store heap stack frame loop"
).split()


def text(n, seed=12345):
    lines = []
    line = []
    for i in range(n):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        w = WORDS[(seed >> 16) % len(WORDS)]
        if seed & 0x300 == 0:
            w = w[0].upper() + w[1:] + ","
        line.append(w)
        if len(line) == 12:
            lines.append(" ".join(line) + ".")
            line = []
    return "\n".join(lines)


def count(s):
    counts = {}
    for line in s.split("\n"):
        for word in line.split():
            word = word.strip(".,").lower()
            counts[word] = counts.get(word, 0) + 1
    return counts


counts = count(text(30000))
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
for word, n in top[:10]:
    print("%-8s %d" % (word, n))
print(len(counts), sum(counts.values()))
