# print() forms and output ordering: sep, end, many small writes, and one
# long line (longer than a device frame, so it streams in several pieces).
print()
print(1, 2, 3)
print(1, 2, 3, sep=", ")
print("a", end="")
print("b", end="|")
print("c")
for i in range(20):
    print(i, end=" ")
print()
line = ""
for i in range(150):
    line = line + str(i % 10)
print(line)
print(len(line), "chars")
print("tab\tand 'quotes'", repr("x'y"))
print(True, False, None)
