//! The link on USB CDC-ACM: the board enumerates as a serial port
//! (`/dev/ttyACM0`), through the HAL's USB controller driver
//! (`rp2040_hal::usb::UsbBus`), `usb-device` and `usbd-serial`.
//!
//! Polled, not interrupt driven: [`Usb::read`] and [`Usb::write`] poll the
//! device stack, and the device polls the link at least every 1024 VM
//! instructions while a program runs. USB flow control then needs no
//! buffer of ours: a packet the device has not read stays in the
//! controller's endpoint buffer and the host's next one is NAKed until it
//! is, so no received byte is ever dropped (the UART ports' `DROPPED` is
//! always 0 here). The USB interrupt only ends an idle `wfi`
//! ([`Usb::sleep`]); its handler masks itself ([`on_interrupt`]).
//!
//! Writing depends on the host ([`Host`]):
//!
//! * **open** (configured, and DTR set or a byte received since the port
//!   was last closed: a program has the port open; some hosts, Windows
//!   programs among them, never raise DTR but talk): `write`
//!   blocks until the bytes are in the port's transmit buffer, at the
//!   speed the host drains them. A host that keeps the port open but never
//!   reads stalls the device's output there; closing the port (DTR drops)
//!   or reading ends the stall.
//! * **suspended** (the bus is idle, e.g. the PC sleeps): the rest of the
//!   write is held for the same host to resume, [`SUSPEND_HOLD_MS`] at
//!   most (a cable pulled from a battery-powered board looks the same).
//! * **absent** (not configured, or the port is closed): the bytes are
//!   counted in [`DISCARDED`] and dropped: nobody reads them, and a host
//!   that opens the port later starts a new session (its requests are
//!   retried; a partial frame left in the buffer fails its CRC and the
//!   host's decoder resyncs at the next delimiter). A board running its
//!   stored main on a power bank prints into nothing instead of stopping.

use crate::clock;
use crate::mmio::nvic;
use core::sync::atomic::{AtomicU32, Ordering};
use rp2040_hal::usb::UsbBus;
use usb_device::bus::UsbBusAllocator;
use usb_device::device::{
    StringDescriptors, UsbDevice, UsbDeviceBuilder, UsbDeviceState, UsbVidPid,
};
use usbd_serial::SerialPort;

/// USBCTRL_IRQ's NVIC line.
pub const IRQ: usize = 5;

/// Raspberry Pi's USB vendor id, and the product id its SDK gives a Pico
/// whose stdio is USB CDC (the id Pico serial tools look for).
const VID_PID: UsbVidPid = UsbVidPid(0x2E8A, 0x000A);

/// Receive buffer of the serial port (beyond it the endpoint NAKs).
const RX_BUF: usize = 256;
/// Transmit buffer: eight full-speed packets, so a whole frame is queued
/// in one write while the previous one goes out.
const TX_BUF: usize = 512;

/// How long output waits for a suspended host to resume.
pub const SUSPEND_HOLD_MS: u32 = 5000;

/// Bytes written while no host had the port open (peekable at the address
/// `nm` gives for it, as the UART ports' `DROPPED`).
pub static DISCARDED: AtomicU32 = AtomicU32::new(0);

/// Who is at the other end of the cable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// Configured, DTR set or bytes received: a program has the port open.
    Open,
    /// The bus is suspended.
    Suspended,
    /// Not configured, or the port is closed.
    Absent,
}

/// The USB device and its one serial port.
pub struct Usb {
    dev: UsbDevice<'static, UsbBus>,
    serial: SerialPort<'static, UsbBus, [u8; RX_BUF], [u8; TX_BUF]>,
    /// A byte came from the host since the port was last closed (DTR fell)
    /// or the bus reset: a host that never raises DTR is there too.
    heard: bool,
    /// DTR as of the last poll, to see it fall.
    dtr: bool,
}

impl Usb {
    /// The CDC-ACM device over `alloc` (the controller is already up and
    /// connected to the bus: the host starts enumerating it).
    pub fn new(alloc: &'static UsbBusAllocator<UsbBus>) -> Self {
        let serial = SerialPort::new_with_store(alloc, [0; RX_BUF], [0; TX_BUF]);
        let strings = StringDescriptors::default()
            .manufacturer("p14p")
            .product("p14p Pico")
            .serial_number("p14p");
        // Control packets of 64 bytes (the full-speed maximum): a descriptor
        // in one packet, as hosts (and rp2040js's) ask for it.
        let builder = UsbDeviceBuilder::new(alloc, VID_PID)
            .strings(&[strings])
            .and_then(|b| b.max_packet_size_0(64));
        let dev = match builder {
            Ok(builder) => builder,
            // One language, a valid packet size: within the builder's limits.
            Err(_) => panic!("usb builder"),
        }
        .device_class(usbd_serial::USB_CLASS_CDC)
        .build();
        Usb {
            dev,
            serial,
            heard: false,
            dtr: false,
        }
    }

    /// Serves the bus: enumeration, control requests, finished packets.
    fn poll(&mut self) {
        self.dev.poll(&mut [&mut self.serial]);
        let dtr = self.serial.dtr();
        if (self.dtr && !dtr) || self.dev.state() == UsbDeviceState::Default {
            // Closed, or the bus reset: whoever comes next must show up.
            self.heard = false;
        }
        self.dtr = dtr;
    }

    /// The host's state, as of the last poll.
    pub fn host(&self) -> Host {
        match self.dev.state() {
            UsbDeviceState::Configured if self.dtr || self.heard => Host::Open,
            UsbDeviceState::Suspend => Host::Suspended,
            _ => Host::Absent,
        }
    }

    /// Takes received bytes into `buf` without blocking; returns how many.
    pub fn read(&mut self, buf: &mut [u8]) -> usize {
        self.poll();
        let n = self.serial.read(buf).unwrap_or(0);
        self.heard |= n > 0;
        n
    }

    /// Writes all of `bytes` while a host has the port open (see the
    /// module's documentation for the other states).
    pub fn write(&mut self, mut bytes: &[u8]) {
        let mut suspended_at = None;
        while !bytes.is_empty() {
            self.poll();
            match self.host() {
                Host::Open => {
                    suspended_at = None;
                    if let Ok(n) = self.serial.write(bytes) {
                        bytes = bytes.get(n..).unwrap_or_default();
                    }
                }
                Host::Suspended => {
                    let now = clock::ticks_ms();
                    let since = *suspended_at.get_or_insert(now);
                    if now.wrapping_sub(since) >= SUSPEND_HOLD_MS {
                        discard(bytes.len());
                        return;
                    }
                }
                Host::Absent => {
                    discard(bytes.len());
                    return;
                }
            }
        }
        // Start sending what is buffered; the rest goes out as the host
        // takes packets (each completion flushes more).
        let _ = self.serial.flush();
    }

    /// Sleeps until the USB controller has something for us or `max_us`
    /// passed. With interrupts off around the check, an interrupt that
    /// comes between it and the `wfi` still ends the `wfi` (a pending
    /// enabled interrupt wakes the core whatever PRIMASK says), and its
    /// handler runs once they are on again.
    pub fn sleep(&mut self, max_us: u32) {
        self.poll();
        cortex_m::interrupt::free(|_| {
            clock::wake_in(max_us);
            nvic::ISER.write(1 << IRQ);
            cortex_m::asm::wfi();
        });
    }
}

/// Counts `n` bytes written with nobody to read them.
fn discard(n: usize) {
    DISCARDED.store(
        DISCARDED.load(Ordering::Relaxed).wrapping_add(n as u32),
        Ordering::Relaxed,
    );
}

/// The USBCTRL_IRQ handler's work: mask the line again. The controller's
/// interrupt stays raised until [`Usb::read`] or [`Usb::write`] polls the
/// stack; the interrupt only ends an idle `wfi`.
pub fn on_interrupt() {
    nvic::ICER.write(1 << IRQ);
}
