# Module-level state across many top-level statements, as a REPL session
# builds it up: rebinding, functions seeing later globals, del.
counter = 0
def bump(by=1):
    global counter
    counter += by
    return counter

print(bump(), bump(), bump(5))
def uses_later():
    return later * 2
later = 21
print(uses_later())
items = []
for word in "the quick brown fox".split():
    items.append(len(word))
print(items, sum(items))
del items
try:
    print(items)
except NameError:
    print("items is gone")
total = 0
n = 10
while n:
    total += n
    n -= 1
print(total, counter, later)
