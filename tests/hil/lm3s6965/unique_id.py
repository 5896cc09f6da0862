# The LM3S6965 has no unique id: machine.unique_id() says so rather than
# give one that is not unique.
import machine

try:
    machine.unique_id()
except NotImplementedError as e:
    print("NotImplementedError", "unique_id" in str(e))
