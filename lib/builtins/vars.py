# vars(), run from the firmware's frozen library (module _b:vars;
# device/src/vm/frozen.rs): the object's namespace, its `__dict__`.


def vars(obj):
    try:
        return obj.__dict__
    except AttributeError:
        raise TypeError("vars() argument must have __dict__ attribute")
