"""Type hints for the p14p package (the API is implemented in Rust, p14p._p14p)."""

from os import PathLike
from types import TracebackType
from typing import Any, Callable, Optional, TypedDict, Union

class DeviceInfo(TypedDict):
    board: str
    firmware: str
    heap_bytes: int
    store_bytes: int
    protocol: int
    native_modules: list[str]

class StoredFile(TypedDict):
    name: str
    size: int
    kind: str  # "image" or "data"
    crc: int
    main: bool

class Synced(TypedDict):
    sent: list[str]
    removed: list[str]
    same: int
    bytes: int

class HeapStats(TypedDict):
    total: int
    used: int
    free: int
    largest_free: int
    objects: int
    gc_runs: int
    gc_us: int

class DeviceError(Exception):
    """A program on the device failed: an uncaught exception or a compile error.

    The message is the device's traceback (or the compiler's diagnostics).
    """

    exc_type: Optional[str]
    """The exception's class name on the device (``None`` for a compile error)."""
    traceback: Optional[str]
    """The CPython-style traceback, with source lines."""
    output: str
    """What the program printed before it failed."""

class DeviceTimeout(DeviceError):
    """A program ran longer than its ``timeout`` and was stopped."""

class LinkError(OSError):
    """The device or the link failed: no answer, a refused request, a closed connection."""

class Repr:
    """A value with no literal form (a function, an instance): its repr as the device gave it."""

    text: str
    def __init__(self, text: str) -> None: ...

Value = Any
"""None, bool, int, float, str, bytes, list, tuple, dict, set, or Repr."""

OnOutput = Callable[[str], object]

class Device:
    """A p14p device. ``Device("sim")``, ``Device("/dev/ttyACM0")``,
    ``Device("tcp:host:port")``, ``Device("rfc2217://host:port")``."""

    def __init__(self, port: str = "sim", *, baud: int = 115200, heap: Optional[int] = None) -> None: ...
    @property
    def port(self) -> str: ...
    @property
    def info(self) -> DeviceInfo: ...
    @property
    def transcript(self) -> str:
        """Everything programs printed since ``clear_transcript()``."""
    def clear_transcript(self) -> None: ...
    def reset(self) -> None:
        """Drop the VM's state: globals, loaded modules, the heap. Stored files stay."""
    def exec(self, code: str, *, timeout: Optional[float] = None, on_output: Optional[OnOutput] = None) -> str:
        """Run ``code`` in the device's ``__main__``; return its output."""
    def eval(self, expr: str, *, timeout: Optional[float] = None, on_output: Optional[OnOutput] = None) -> Value:
        """Evaluate the expression ``expr``; return its value."""
    def run_file(
        self, path: Union[str, PathLike[str]], *, timeout: Optional[float] = None, on_output: Optional[OnOutput] = None
    ) -> str:
        """Run a Python file (its imports found next to it); return its output."""
    def load_module(self, name: str, source: str) -> None:
        """Compile ``source`` and load it into RAM as the module ``name``."""
    def push(self, name: str, data: bytes) -> None:
        """Store ``data`` as ``name`` (``.py`` source is compiled to an image)."""
    def sync(self, dir: Union[str, PathLike[str]], *, delete: bool = False) -> Synced:
        """Make the store match folder ``dir`` as ``p14p sync`` does."""
    def ls(self) -> list[StoredFile]: ...
    def cat(self, name: str) -> bytes: ...
    def rm(self, name: str) -> None: ...
    def peek(self, addr: int, count: int = 1, *, width: int = 32) -> list[int]: ...
    def poke(self, addr: int, value: int, *, width: int = 32) -> None: ...
    def watch(
        self,
        addrs: list[int],
        code: str,
        *,
        width: int = 32,
        interval: float = 0.05,
        timeout: Optional[float] = None,
        on_output: Optional[OnOutput] = None,
    ) -> list[tuple[float, int, Optional[int], int]]:
        """Run ``code`` while sampling the items at ``addrs`` every ``interval`` seconds.

        Returns ``(seconds, addr, old, new)`` for each item's first value (``old`` None)
        and every change, in order.
        """
    def interrupt(self) -> None:
        """Stop the running program with KeyboardInterrupt (call it from another thread)."""
    def heap_stats(self) -> HeapStats: ...
    def collect(self) -> HeapStats: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Device": ...
    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> bool: ...

__all__ = ["Device", "DeviceError", "DeviceTimeout", "LinkError", "Repr"]
