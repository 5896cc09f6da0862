//! The `rfc2217://HOST:PORT` transport: a serial port a board farm exports
//! over the network with RFC 2217 (Telnet COM-PORT-OPTION), as pyserial's
//! `rfc2217://` client speaks it: labgrid's exporter (ser2net with
//! `telnet(rfc2217)`), pyserial's `rfc2217_server.py`.
//!
//! ```text
//!  session ⇄ duplex pipe ⇄ pump task ⇄ TCP (Telnet) ⇄ server ⇄ UART
//!                          escapes IAC out, unescapes IAC in,
//!                          answers option negotiation, drops subnegotiations
//! ```
//!
//! On connect the client offers what pyserial's does (WILL BINARY, WILL
//! COM-PORT-OPTION, DO BINARY, DO SGA, DO COM-PORT-OPTION), waits until the
//! server agrees to COM-PORT-OPTION, then sets the line: baud rate, 8 data
//! bits, no parity, one stop bit, no flow control. It never sets DTR or
//! RTS: many boards wire them to reset (see [`super::serial`]). Data bytes
//! 0xFF (IAC) are doubled both ways, so frames pass unchanged. Option
//! negotiation is answered for as long as the connection lasts, without
//! loops (an option is answered only when its state changes, RFC 854's
//! rule).

use std::io;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::net::TcpStream;

/// Telnet's "interpret as command".
pub const IAC: u8 = 255;
const DONT: u8 = 254;
const DO: u8 = 253;
const WONT: u8 = 252;
const WILL: u8 = 251;
const SB: u8 = 250;
const SE: u8 = 240;
const BINARY: u8 = 0;
const SGA: u8 = 3;
/// RFC 2217's option.
pub const COM_PORT_OPTION: u8 = 44;
const SET_BAUDRATE: u8 = 1;
const SET_DATASIZE: u8 = 2;
const SET_PARITY: u8 = 3;
const SET_STOPSIZE: u8 = 4;
const SET_CONTROL: u8 = 5;
/// `SET_CONTROL` value: no flow control (outbound and inbound).
const CONTROL_NO_FLOW: u8 = 1;
/// `SET_PARITY` value: none.
const PARITY_NONE: u8 = 1;
/// `SET_STOPSIZE` value: one stop bit.
const STOPSIZE_ONE: u8 = 1;

/// The options we perform (WILL) or let the server perform (DO).
const OURS: [u8; 2] = [BINARY, COM_PORT_OPTION];
const THEIRS: [u8; 3] = [BINARY, SGA, COM_PORT_OPTION];

/// How long the server has to agree to COM-PORT-OPTION.
const NEGOTIATION: Duration = Duration::from_secs(3);

/// Where the Telnet decoder is in the incoming bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Data,
    Iac,
    /// After IAC and one of DO/DONT/WILL/WONT: the option byte is next.
    Verb(u8),
    /// Inside IAC SB … IAC SE.
    Sub,
    SubIac,
}

/// The sans-I/O Telnet side of the client: incoming bytes in, data and
/// negotiation replies out.
#[derive(Debug)]
pub struct Telnet {
    state: State,
    /// Options enabled on our side (we WILL) and theirs (they DO).
    we: [bool; 256],
    they: [bool; 256],
    /// The server agreed that we speak COM-PORT-OPTION (DO) or that it
    /// does (WILL); pyserial's server is happy with either, so are we.
    com_port: bool,
}

impl Default for Telnet {
    fn default() -> Self {
        Telnet {
            state: State::Data,
            we: [false; 256],
            they: [false; 256],
            com_port: false,
        }
    }
}

impl Telnet {
    /// What the client sends first: its offers and requests, marked as
    /// enabled so the server's agreement needs no answer.
    pub fn hello(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        for o in OURS {
            self.we[o as usize] = true;
            out.extend([IAC, WILL, o]);
        }
        for o in THEIRS {
            self.they[o as usize] = true;
            out.extend([IAC, DO, o]);
        }
        out
    }

    /// Whether the server agreed to COM-PORT-OPTION.
    pub fn com_port(&self) -> bool {
        self.com_port
    }

    /// Feeds bytes from the server: serial data goes to `data`, answers to
    /// the server's negotiation to `reply`.
    pub fn feed(&mut self, bytes: &[u8], data: &mut Vec<u8>, reply: &mut Vec<u8>) {
        for &b in bytes {
            self.state = match (self.state, b) {
                (State::Data, IAC) => State::Iac,
                (State::Data, b) => {
                    data.push(b);
                    State::Data
                }
                (State::Iac, IAC) => {
                    data.push(IAC);
                    State::Data
                }
                (State::Iac, SB) => State::Sub,
                (State::Iac, DO | DONT | WILL | WONT) => State::Verb(b),
                // NOP, GA, a stray SE, …: nothing to do.
                (State::Iac, _) => State::Data,
                (State::Verb(verb), option) => {
                    self.negotiate(verb, option, reply);
                    State::Data
                }
                // The server's answers (SERVER_SET_BAUDRATE, …) and
                // notifications (line and modem state) change nothing here.
                (State::Sub, IAC) => State::SubIac,
                (State::Sub, _) => State::Sub,
                (State::SubIac, SE) => State::Data,
                (State::SubIac, _) => State::Sub,
            };
        }
    }

    fn negotiate(&mut self, verb: u8, option: u8, reply: &mut Vec<u8>) {
        let o = option as usize;
        match verb {
            DO => {
                let ok = OURS.contains(&option);
                if ok && option == COM_PORT_OPTION {
                    self.com_port = true;
                }
                if ok != self.we[o] || !ok {
                    // A change, or a refusal (always answered: refusing an
                    // option never loops, as a refusal gets no answer).
                    self.we[o] = ok;
                    reply.extend([IAC, if ok { WILL } else { WONT }, option]);
                }
            }
            WILL => {
                let ok = THEIRS.contains(&option);
                if ok && option == COM_PORT_OPTION {
                    self.com_port = true;
                }
                if ok != self.they[o] || !ok {
                    self.they[o] = ok;
                    reply.extend([IAC, if ok { DO } else { DONT }, option]);
                }
            }
            DONT if self.we[o] => {
                self.we[o] = false;
                reply.extend([IAC, WONT, option]);
            }
            WONT if self.they[o] => {
                self.they[o] = false;
                reply.extend([IAC, DONT, option]);
            }
            _ => {}
        }
    }
}

/// `data` with every IAC doubled, as Telnet sends a data byte 0xFF.
pub fn escape(data: &[u8], out: &mut Vec<u8>) {
    for &b in data {
        out.push(b);
        if b == IAC {
            out.push(IAC);
        }
    }
}

/// The subnegotiations setting the line to `baud` 8N1 without flow
/// control.
pub fn line_settings(baud: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut sub = |command: u8, value: &[u8]| {
        out.extend([IAC, SB, COM_PORT_OPTION, command]);
        escape(value, &mut out);
        out.extend([IAC, SE]);
    };
    sub(SET_BAUDRATE, &baud.to_be_bytes());
    sub(SET_DATASIZE, &[8]);
    sub(SET_PARITY, &[PARITY_NONE]);
    sub(SET_STOPSIZE, &[STOPSIZE_ONE]);
    sub(SET_CONTROL, &[CONTROL_NO_FLOW]);
    out
}

/// Connects to the RFC 2217 server at `addr` (`HOST:PORT`), negotiates
/// and sets the line to `baud` 8N1. Returns the session's end of a pipe
/// that a task keeps pumping through Telnet until either side closes.
pub async fn open(addr: &str, baud: u32) -> io::Result<DuplexStream> {
    let fail = io::Error::other::<String>;
    let mut tcp = TcpStream::connect(addr).await.map_err(|e| {
        io::Error::new(e.kind(), format!("cannot connect to rfc2217://{addr}: {e}"))
    })?;
    tcp.set_nodelay(true)?;
    let mut telnet = Telnet::default();
    tcp.write_all(&telnet.hello()).await?;
    let mut early = Vec::new();
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + NEGOTIATION;
    while !telnet.com_port() {
        let n = match tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await {
            Err(_) => {
                return Err(fail(format!(
                    "rfc2217://{addr} did not agree to RFC 2217 (COM-PORT-OPTION) within {NEGOTIATION:?}: \
                     is it an RFC 2217 server (ser2net: telnet(rfc2217); labgrid's exporter)? \
                     A raw TCP serial server is tcp:{addr}"
                )))
            }
            Ok(r) => r?,
        };
        if n == 0 {
            return Err(fail(format!(
                "rfc2217://{addr} closed the connection during the Telnet negotiation"
            )));
        }
        let mut reply = Vec::new();
        telnet.feed(&buf[..n], &mut early, &mut reply);
        tcp.write_all(&reply).await?;
    }
    tcp.write_all(&line_settings(baud)).await?;
    let (ours, theirs) = tokio::io::duplex(4096);
    tokio::spawn(pump(tcp, theirs, telnet, early));
    Ok(ours)
}

/// Moves bytes between the session's pipe and the server until either
/// ends (the session dropping its end ends this, and the connection).
async fn pump(mut tcp: TcpStream, mut pipe: DuplexStream, mut telnet: Telnet, early: Vec<u8>) {
    if pipe.write_all(&early).await.is_err() {
        return;
    }
    let (mut net_buf, mut pipe_buf) = ([0u8; 1024], [0u8; 1024]);
    let (mut data, mut out) = (Vec::new(), Vec::new());
    loop {
        tokio::select! {
            r = tcp.read(&mut net_buf) => {
                let Ok(n @ 1..) = r else { return };
                data.clear();
                out.clear();
                telnet.feed(&net_buf[..n], &mut data, &mut out);
                if (!out.is_empty() && tcp.write_all(&out).await.is_err())
                    || pipe.write_all(&data).await.is_err()
                {
                    return;
                }
            }
            r = pipe.read(&mut pipe_buf) => {
                let Ok(n @ 1..) = r else { return };
                out.clear();
                escape(&pipe_buf[..n], &mut out);
                if tcp.write_all(&out).await.is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_unescaped_and_subnegotiations_dropped() {
        let mut t = Telnet::default();
        let (mut data, mut reply) = (Vec::new(), Vec::new());
        // a, IAC IAC (a data 0xFF), SB COM-PORT SERVER_SET_BAUDRATE with an
        // escaped 0xFF in its value, b; cut at every byte boundary.
        let bytes = [
            b'a', IAC, IAC, IAC, SB, 44, 101, 0, 1, IAC, IAC, 0, IAC, SE, b'b', IAC, 241,
        ];
        for chunk in bytes.chunks(1) {
            t.feed(chunk, &mut data, &mut reply);
        }
        assert_eq!(data, [b'a', 0xFF, b'b']);
        assert!(reply.is_empty());
    }

    #[test]
    fn negotiation_is_answered_once_and_unknown_options_refused() {
        let mut t = Telnet::default();
        let hello = t.hello();
        assert_eq!(
            hello,
            [IAC, WILL, 0, IAC, WILL, 44, IAC, DO, 0, IAC, DO, 3, IAC, DO, 44]
        );
        let (mut data, mut reply) = (Vec::new(), Vec::new());
        // pyserial's PortManager: WILL ECHO, WILL SGA, DO BINARY, WILL
        // COM-PORT-OPTION; then the agreements to our requests.
        t.feed(
            &[
                IAC, WILL, 1, IAC, WILL, 3, IAC, DO, 0, IAC, WILL, 44, IAC, DO, 44,
            ],
            &mut data,
            &mut reply,
        );
        assert!(t.com_port());
        assert_eq!(reply, [IAC, DONT, 1]);
        assert!(data.is_empty());
        reply.clear();
        // A refusal of what we had is acknowledged once.
        t.feed(&[IAC, DONT, 0, IAC, DONT, 0], &mut data, &mut reply);
        assert_eq!(reply, [IAC, WONT, 0]);
    }

    #[test]
    fn outgoing_data_and_settings_escape_iac() {
        let mut out = Vec::new();
        escape(&[0, IAC, 1], &mut out);
        assert_eq!(out, [0, IAC, IAC, 1]);
        let s = line_settings(0x0001_C2FF);
        assert_eq!(
            &s[..11],
            &[IAC, SB, 44, SET_BAUDRATE, 0, 1, 0xC2, IAC, IAC, IAC, SE]
        );
        assert!(s.ends_with(&[IAC, SB, 44, SET_CONTROL, 1, IAC, SE]));
    }
}
