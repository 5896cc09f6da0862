// The p14p Pico firmware in the rp2040js emulator, its USB CDC served on a
// TCP port: `p14p repl tcp:127.0.0.1:PORT` talks to the emulated Pico
// through the firmware's own USB stack.
//
//   node ports/pico/emu/bridge.mjs FIRMWARE.uf2 [--port N] [--stats] [--uart] [--no-dtr]
//
// --no-dtr opens the port without raising DTR (as some hosts do).
// --uart serves UART0 instead (a firmware built with `--features
// uart-link`): bytes go into its 32-byte receive FIFO at the line rate,
// 115200 8N1 (one byte each 86.8 µs of emulated time), as a USB-serial
// adapter delivers them. A UART has no flow control: feeding the FIFO as
// fast as it empties (as this bridge once did) overran the firmware's
// receive ring within one 300-byte frame, which no real line can do.
//
// --port 0 (the default) picks a free port. The bridge prints one line,
// `listening on 127.0.0.1:PORT`, once the port is open (tests read it), and
// with --stats, on exit (SIGTERM, SIGINT), the emulated instructions and
// instructions per second of wall time on stderr.
//
// The RP2040's boot ROM comes from P14P_SHARED/rp2040/bootrom-b1.bin
// (P14P_SHARED defaults to `shared` beside the repository).
//
// The emulated host enumerates the device (rp2040js's USBCDC), then acts as
// a host's CDC-ACM driver does:
//  * a TCP client connecting opens the port: SET_CONTROL_LINE_STATE with
//    DTR and RTS; its disconnecting closes it (DTR and RTS cleared). One
//    client at a time; a second waits (paused) until the first leaves.
//  * bytes from the client go to the device only when it has an OUT buffer
//    armed (a real host's packets are NAKed until then), at most one
//    64-byte packet per buffer, so the device's flow control holds; the
//    client's socket is paused while 4 KiB wait.
//  * bytes the device sends go to the client, or nowhere while none is
//    connected (a closed port's tty discards them too).
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConsoleLogger,
  createSetupPacket,
  DataDirection,
  LogLevel,
  SetupRecipient,
  SetupType,
  Simulator,
  USBCDC,
} from 'rp2040js';
import { loadUf2 } from './uf2.mjs';

/** CDC SET_CONTROL_LINE_STATE and its bits. */
const SET_CONTROL_LINE_STATE = 0x22;
const DTR = 1;
const RTS = 2;
/** Full-speed bulk packet size. */
const PACKET = 64;
/** Bytes from the client held before its socket is paused. */
const HIGH_WATER = 4096;
/** The gap before each setup packet. */
const SETUP_GAP_NANOS = 2e6;
/** The emulated core clock. */
const CYCLE_NANOS = 1e9 / 125e6;
/** One byte on the UART link: 10 bits (8N1) at 115200 baud. */
const UART_BYTE_NANOS = 1e9 * 10 / 115200;
/** Instructions run between looks at the event loop (TCP traffic). */
const SLICE = 200_000;

const args = process.argv.slice(2);
const firmware = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--port');
const portArg = args.indexOf('--port');
const tcpPort = portArg >= 0 ? Number(args[portArg + 1]) : 0;
const stats = args.includes('--stats');
const uartLink = args.includes('--uart');
/** --no-dtr: open the port without raising DTR, as some hosts do. */
const openLine = args.includes('--no-dtr') ? 0 : DTR | RTS;
if (!firmware) {
  console.error('usage: node bridge.mjs FIRMWARE.uf2 [--port N] [--stats]');
  process.exit(2);
}

// A test that stopped reading our output must not bring the emulator down.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const here = dirname(fileURLToPath(import.meta.url));
const shared = process.env.P14P_SHARED ?? resolve(here, '../../../../shared');
const bootromFile = join(shared, 'rp2040', 'bootrom-b1.bin');
const rom = readFileSync(bootromFile);

const simulator = new Simulator();
const mcu = simulator.rp2040;
// Errors only: the USB controller logs every transfer at debug level.
mcu.logger = new ConsoleLogger(process.env.P14P_EMU_DEBUG ? LogLevel.Debug : LogLevel.Error);
const debug = (m) => process.env.P14P_EMU_DEBUG && console.error(`bridge: ${m}`);
mcu.loadBootrom(new Uint32Array(rom.buffer, rom.byteOffset, rom.length / 4));
loadUf2(readFileSync(firmware), mcu.flash, 0x1000_0000);
// The second-stage boot loader at the start of flash, as the boot ROM
// would run it after checking its CRC: it sets up XIP and jumps to the
// vector table after it.
mcu.core.PC = 0x1000_0000;

// UART0 (GP0) carries the firmware's fault reports: pass them on.
// With --uart, UART0 is the link: its bytes go to the client (gathered,
// sent after each slice).
const uart = mcu.uart[0];
let uartOut = [];
uart.onByte = (b) => {
  if (!uartLink) {
    process.stderr.write(String.fromCharCode(b));
  } else if (client) {
    uartOut.push(b);
  }
};

/** Sends what UART0 transmitted to the client. */
function flushUart() {
  if (uartOut.length > 0 && client) {
    client.write(Buffer.from(uartOut));
  }
  uartOut = [];
}

// A host leaves a frame (1 ms) at least between control transfers, and 2 ms
// after SET_ADDRESS (USB 2.0 §9.2.6.3); rp2040js's host sends the next
// setup packet 10 µs after a status stage, before usb-device has seen the
// status stage complete (it then took a later one for SET_ADDRESS's and
// fell back from Configured to Addressed). Setup packets wait 2 ms here.
const sendSetup = mcu.usbCtrl.sendSetupPacket.bind(mcu.usbCtrl);
const setupQueue = [];
const setupAlarm = simulator.clock.createAlarm(() => {
  sendSetup(setupQueue.shift());
  if (setupQueue.length > 0) {
    setupAlarm.schedule(SETUP_GAP_NANOS);
  } else {
    // The client's bytes waited for the port to open (see feed).
    feed();
  }
});
mcu.usbCtrl.sendSetupPacket = (packet) => {
  setupQueue.push(packet);
  if (setupQueue.length === 1) {
    setupAlarm.schedule(SETUP_GAP_NANOS);
  }
};

// rp2040js 1.4.1 computes the overflow flag (V) of ADCS and SBCS from the
// second operand with the carry already folded in (Rm + C, Rm + 1 - C): when
// that crosses 0x7FFFFFFF or 0xFFFFFFFF, V comes out wrong, and a 64-bit
// signed comparison with it (e.g. i64::MAX against a small bound) goes the
// wrong way: 2**63 - 1 became -1. The Cortex-M0+'s own definition (ARMv6-M
// ARM A6.7.2, A6.7.53): V = sign of ((a ^ r) & (b' ^ r)) with b' = Rm for
// ADC and ~Rm for SBC. Fixed after each such instruction.
const ADCS = 0b0100000101;
const SBCS = 0b0100000110;

// rp2040js does not model the QSPI flash's commands (its SSI answers every
// status read "ready" and drops what is sent), so the boot ROM's
// flash_range_erase and flash_range_program run here instead: on entry to
// either (looked up in the ROM's function table by its code, as the
// firmware does), the bridge does the operation on the emulated flash and
// returns to the caller. The rest of the firmware's sequence (connect,
// leave XIP, flush the cache, boot2 from its RAM copy) runs as emulated
// code. Sectors are 4 KiB, pages 256 bytes, as on the W25Q16JV.
/** The ROM function named by its two-letter code (0 if absent). */
function romFunction(code) {
  const key = code.charCodeAt(0) | (code.charCodeAt(1) << 8);
  for (let at = rom.readUInt16LE(0x14); ; at += 4) {
    const c = rom.readUInt16LE(at);
    if (c === 0) return 0;
    if (c === key) return rom.readUInt16LE(at + 2) & ~1;
  }
}
const ROM_ERASE = romFunction('RE');
const ROM_PROGRAM = romFunction('RP');
const SECTOR = 4096;
const PAGE = 256;
/** Runs the ROM's erase or program for the core at its entry; true if so. */
function flashRom(core) {
  const pc = core.PC & ~1;
  if (pc !== ROM_ERASE && pc !== ROM_PROGRAM) return false;
  const [addr, a1, a2] = core.registers;
  if (pc === ROM_ERASE) {
    // (addr, count, block_size, block_cmd): whole sectors.
    const from = addr & ~(SECTOR - 1);
    const to = Math.min((addr + a1 + SECTOR - 1) & ~(SECTOR - 1), mcu.flash.length);
    mcu.flash.fill(0xff, from, to);
    debug(`flash erase ${from.toString(16)}..${to.toString(16)}`);
  } else {
    // (addr, data, count): whole pages, each byte old & new.
    for (let i = 0; i < (a2 & ~(PAGE - 1)); i++) {
      mcu.flash[(addr & ~(PAGE - 1)) + i] &= mcu.readUint8(a1 + i);
    }
    debug(`flash program ${addr.toString(16)} +${a2}`);
  }
  core.PC = core.LR & ~1;
  return true;
}

// The flash chip's READ_UNIQUE_ID (0x4B, four dummy bytes, the 8-byte id)
// through the SSI: rp2040js answers every byte 0, so the bridge answers
// this command with EMU_UNIQUE_ID (hosttest/tests/emu.rs expects it), one
// byte per byte sent, as the chip does. The firmware reads it at boot.
const EMU_UNIQUE_ID = [0xe6, 0x60, 0x58, 0x38, 0x83, 0x1c, 0x22, 0x2a];
const SSI_DR0 = 0x60;
const ssi = mcu.peripherals[0x18000];
const ssiWrite = ssi.writeUint32.bind(ssi);
/** Bytes of READ_UNIQUE_ID sent so far (-1: none under way). */
let ruid = -1;
ssi.writeUint32 = (offset, value) => {
  ssiWrite(offset, value);
  if (offset !== SSI_DR0) return;
  if (ruid < 0 && value === 0x4b) {
    ruid = 0;
  } else if (ruid >= 0) {
    ruid += 1;
    ssi.dr0 = ruid >= 5 ? EMU_UNIQUE_ID[ruid - 5] : 0;
    if (ruid === 12) ruid = -1;
  }
};

/** Runs one instruction, fixing V after ADCS and SBCS; returns its cycles. */
function step(core) {
  // Pending interrupts first, as executeInstruction does, so that the
  // instruction looked at is the one that runs.
  if (core.interruptsUpdated && core.checkForInterrupts()) {
    core.waiting = false;
  }
  if (core.PC < 0x4000 && flashRom(core)) {
    return 1;
  }
  if (core.interruptsUpdated) {
    return core.executeInstruction();
  }
  const op = mcu.readUint16(core.PC & ~1);
  const kind = op >> 6;
  if (kind !== ADCS && kind !== SBCS) {
    return core.executeInstruction();
  }
  const a = core.registers[op & 7];
  const b = kind === ADCS ? core.registers[(op >> 3) & 7] : ~core.registers[(op >> 3) & 7];
  const cycles = core.executeInstruction();
  const r = core.registers[op & 7];
  core.V = ((a ^ r) & (b ^ r)) >>> 31 === 1;
  return cycles;
}

const cdc = new USBCDC(mcu.usbCtrl);
let configured = false;
/** The TCP client, if one is connected. */
let client = null;
/** Bytes from the client not yet given to the device. */
let pending = [];
let pendingBytes = 0;
/** An OUT buffer the device armed and we have not filled: [endpoint, size]. */
let armed = null;

/** Sends SET_CONTROL_LINE_STATE to the CDC interface (0). usbd-serial only
 * takes it addressed to the interface, as Linux's cdc-acm sends it. */
function lineState(value) {
  debug(`line state ${value}`);
  mcu.usbCtrl.sendSetupPacket(
    createSetupPacket({
      dataDirection: DataDirection.HostToDevice,
      type: SetupType.Class,
      recipient: SetupRecipient.Interface,
      bRequest: SET_CONTROL_LINE_STATE,
      wValue: value,
      wIndex: 0,
      wLength: 0,
    }),
  );
}

// USBCDC calls this once the device is configured; a host sets the line
// state when a program opens the port, not at enumeration.
cdc.cdcSetControlLineState = () => {
  cdc.initialized = true;
};
cdc.onDeviceConnected = () => {
  debug('configured');
  configured = true;
  if (client) {
    lineState(openLine);
  }
};
cdc.onSerialData = (data) => {
  debug(`device sent ${data.length}`);
  if (client) {
    client.write(Buffer.from(data));
  }
};

/** The next byte's arrival on UART0's RX line (see UART_BYTE_NANOS). */
// (rp2040js's clock leaves an alarm's `scheduled` set after it fires, so
// the line keeps its own flag.)
let uartBusy = false;
const uartAlarm = simulator.clock.createAlarm(() => {
  uartBusy = false;
  if (pendingBytes === 0) {
    return;
  }
  // A byte arriving at a full FIFO is lost, as on the chip (the firmware
  // counts it as an overrun); its receive interrupt keeps the FIFO drained.
  const head = pending[0];
  uart.feedByte(head[0]);
  if (head.length === 1) {
    pending.shift();
  } else {
    pending[0] = head.subarray(1);
  }
  pendingBytes--;
  if (client && client.isPaused() && pendingBytes < HIGH_WATER / 2) {
    client.resume();
  }
  if (pendingBytes > 0) {
    uartBusy = true;
    uartAlarm.schedule(UART_BYTE_NANOS);
  }
});

/** Starts the line if bytes wait and it is idle. */
function feedUart() {
  if (pendingBytes > 0 && !uartBusy) {
    uartBusy = true;
    uartAlarm.schedule(UART_BYTE_NANOS);
    wake();
  }
}

/** Gives the armed OUT buffer one packet of pending bytes, if any wait. */
function feed() {
  if (uartLink) {
    feedUart();
    return;
  }
  // A program writes to a port once its open() has returned, after the
  // host's SET_CONTROL_LINE_STATE: bytes from a client that just connected
  // wait until the line state is on its way (else the device would answer
  // them before it sees DTR rise, or drop, into a closed port).
  if (!armed || pendingBytes === 0 || setupQueue.length > 0) {
    return;
  }
  const [endpoint, size] = armed;
  const n = Math.min(size, PACKET, pendingBytes);
  const packet = new Uint8Array(n);
  let filled = 0;
  while (filled < n) {
    const head = pending[0];
    const take = Math.min(head.length, n - filled);
    packet.set(head.subarray(0, take), filled);
    filled += take;
    if (take === head.length) {
      pending.shift();
    } else {
      pending[0] = head.subarray(take);
    }
  }
  debug(`fed ${n}`);
  pendingBytes -= n;
  armed = null;
  mcu.usbCtrl.endpointReadDone(endpoint, packet);
  wake();
  if (client && client.isPaused() && pendingBytes < HIGH_WATER / 2) {
    client.resume();
  }
}

// The device armed an OUT buffer: fill it when there is something to send
// (USBCDC would answer at once with an empty packet, a busy loop).
// (It may arm it before the host has read which endpoint that is: the CDC
// data interface has the device's only OUT endpoint besides 0.)
mcu.usbCtrl.onEndpointRead = (endpoint, size) => {
  if (endpoint === 0) {
    return;
  }
  debug(`armed ${endpoint} ${size}`);
  armed = [endpoint, size];
  feed();
};

/** Clients waiting for the one connected to leave. */
const waiting = [];

/** Opens the port for `socket`: it becomes the client. */
function open(socket) {
  client = socket;
  socket.setNoDelay(true);
  if (configured) {
    lineState(openLine);
    wake();
  }
  socket.on('data', (data) => {
    pending.push(new Uint8Array(data));
    pendingBytes += data.length;
    if (pendingBytes >= HIGH_WATER) {
      socket.pause();
    }
    feed();
  });
  socket.resume();
}

const server = createServer((socket) => {
  const close = () => {
    const queued = waiting.indexOf(socket);
    if (queued >= 0) {
      waiting.splice(queued, 1);
    }
    if (client !== socket) {
      return;
    }
    client = null;
    pending = [];
    pendingBytes = 0;
    if (configured) {
      lineState(0);
      wake();
    }
    const next = waiting.shift();
    if (next) {
      open(next);
    }
  };
  socket.on('close', close);
  socket.on('error', close);
  if (client) {
    // One host at a time, as a tty opened exclusively: the next waits.
    socket.pause();
    waiting.push(socket);
  } else {
    open(socket);
  }
});

let instructions = 0;
/** P14P_EMU_PROFILE=FILE: a sample of the PC every 256 instructions, written at exit. */
const profile = process.env.P14P_EMU_PROFILE ? new Map() : null;
/** Wall time spent running instructions (not sleeping with the core). */
let busyMs = 0;
const started = performance.now();
/** The pending `run` while the core sleeps ahead of wall time. */
let sleeping = null;

/** Runs the core for a slice, then lets the event loop in. While the core
 * is busy the emulated clock falls behind the wall clock; while it sleeps
 * in `wfi` it jumps to its next timer or USB event, but not past the wall
 * clock: an idle emulated Pico idles the host too. */
function run() {
  sleeping = null;
  const { core } = mcu;
  const { clock } = simulator;
  const t0 = performance.now();
  const n0 = instructions;
  for (let i = 0; i < SLICE; i++) {
    if (core.waiting) {
      const skip = clock.nanosToNextAlarm;
      const ahead = clock.nanos + skip - (t0 - started) * 1e6;
      if (skip <= 0 || ahead > 0) {
        busyMs += instructions > n0 ? performance.now() - t0 : 0;
        flushUart();
        sleeping = setTimeout(run, Math.max(1, ahead / 1e6));
        return;
      }
      clock.tick(skip);
    } else {
      clock.tick(step(core) * CYCLE_NANOS);
      instructions++;
      if (profile && (instructions & 255) === 0) {
        profile.set(core.PC, (profile.get(core.PC) ?? 0) + 1);
      }
    }
  }
  busyMs += performance.now() - t0;
  flushUart();
  setImmediate(run);
}

/** Ends a sleep early: the host sent something. */
function wake() {
  if (sleeping) {
    clearTimeout(sleeping);
    sleeping = null;
    setImmediate(run);
  }
}

function report() {
  if (stats) {
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(instructions / (busyMs / 1000));
    process.stderr.write(
      `rp2040js: ${instructions} instructions, ${(busyMs / 1000).toFixed(1)} s of ${seconds.toFixed(1)} s busy ` +
        `(${rate} per busy second), ` +
        `${(simulator.clock.nanos / 1e9).toFixed(2)} s emulated\n`,
    );
  }
  if (profile) {
    const lines = [...profile].map(([pc, n]) => `${pc.toString(16)} ${n}`);
    writeFileSync(process.env.P14P_EMU_PROFILE, lines.join('\n') + '\n');
  }
  process.exit(0);
}
process.on('SIGTERM', report);
process.on('SIGINT', report);

server.listen(tcpPort, '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${server.address().port}`);
  run();
});
