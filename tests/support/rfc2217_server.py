#!/usr/bin/env python3
"""A minimal RFC 2217 server for tests: exports one serial port (e.g. the pty
of `p14p-device --pty`) on a TCP port, with pyserial's
`serial.rfc2217.PortManager` doing the Telnet and COM-PORT-OPTION side, as
pyserial's `examples/rfc2217_server.py` does (one client at a time, here
until the process is killed).

    python3 rfc2217_server.py SERIAL_PORT [TCP_PORT]

Prints `listening on PORT` (TCP_PORT 0, the default, picks a free one) once
it accepts connections, and `closed; baud RATE` after each connection. Needs pyserial (`pip install pyserial`).
"""

import socket
import sys
import threading

import serial
import serial.rfc2217


class Line(serial.Serial):
    """The serial port, whose modem lines read as off where the device has
    none (a pty answers TIOCMGET with ENOTTY), so the PortManager's modem
    state notifications work on a pty too."""

    def _modem(self, name):
        try:
            return getattr(super(), name)
        except (OSError, serial.SerialException):
            return False

    cts = property(lambda self: self._modem("cts"))
    dsr = property(lambda self: self._modem("dsr"))
    ri = property(lambda self: self._modem("ri"))
    cd = property(lambda self: self._modem("cd"))


class Connection:
    """The socket as the PortManager wants it: a thread-safe write."""

    def __init__(self, sock):
        self.sock = sock
        self.lock = threading.Lock()

    def write(self, data):
        with self.lock:
            self.sock.sendall(data)


def serve(line, sock):
    conn = Connection(sock)
    manager = serial.rfc2217.PortManager(line, conn)
    stop = threading.Event()

    def serial_to_net():
        while not stop.is_set():
            try:
                data = line.read(line.in_waiting or 1)
                if data:
                    conn.write(b"".join(manager.escape(data)))
            except (OSError, serial.SerialException):
                break

    reader = threading.Thread(target=serial_to_net, daemon=True)
    reader.start()
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                break
            line.write(b"".join(manager.filter(data)))
    except OSError:
        pass
    finally:
        stop.set()
        reader.join()
        sock.close()


def main():
    path = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    line = Line(path, 115200, timeout=0.1)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    print(f"listening on {srv.getsockname()[1]}", flush=True)
    while True:
        sock, _ = srv.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        serve(line, sock)
        # What the client set the line to (the tests check the baud rate).
        print(f"closed; baud {line.baudrate}", flush=True)


if __name__ == "__main__":
    main()
