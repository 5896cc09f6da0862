//! Framing: how a message becomes bytes on a UART and back.
//!
//! ```text
//!   0x00 ‖ COBS( postcard(message) ‖ crc16_le ) ‖ 0x00
//! ```
//!
//! * COBS (via `corncobs`) removes every `0x00` from the body, so `0x00` is an
//!   unambiguous delimiter.
//! * The CRC is CRC-16/IBM-3740 (a.k.a. CCITT-FALSE) over the postcard bytes,
//!   little-endian. A flipped bit anywhere is detected and the frame dropped.
//! * A frame is *preceded* as well as followed by `0x00`: whatever garbage sat
//!   in the receiver's buffer (line noise, a boot banner, half a frame from
//!   before a reset) is terminated by the leading delimiter, fails its CRC and
//!   is dropped, and the real frame that follows arrives clean. Empty frames
//!   (`0x00 0x00`) are ignored. The device also sends one `0x00` at boot.
//!
//! [`FrameDecoder`] is sans-I/O: feed it bytes, it hands back complete,
//! checked payloads. It never allocates; its buffer is a const generic.

use crate::wire::{Encode, Writer};
use crc::{Crc, NoTable, CRC_16_IBM_3740};
use serde::{Deserialize, Serialize};

/// The frame checksum. Table-less: a few dozen bytes of code on the device.
pub const CRC16: Crc<u16, NoTable> = Crc::<u16, NoTable>::new(&CRC_16_IBM_3740);

/// Bytes a frame adds around its postcard payload, worst case, for `payload`
/// bytes of postcard: CRC, COBS overhead and both delimiters.
pub const fn frame_overhead(payload: usize) -> usize {
    corncobs::max_encoded_len(payload + 2) + 1 - payload
}

/// The largest encoded frame for a postcard payload of `payload` bytes.
pub const fn max_frame_len(payload: usize) -> usize {
    payload + frame_overhead(payload)
}

/// Why a frame could not be produced or accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The message did not fit the scratch or output buffer.
    TooLong,
    /// The COBS encoding was malformed.
    Cobs,
    /// The checksum did not match (a flipped bit, a truncated frame).
    Crc,
    /// The frame was shorter than its checksum.
    Short,
    /// Postcard could not decode the payload into the expected message.
    Decode,
}

/// Encodes `msg` into `out` as a complete frame (both delimiters included).
///
/// `scratch` holds the postcard bytes and the CRC on the way; it needs the
/// message size plus two bytes. Returns the number of bytes written to `out`.
pub fn encode<T: Serialize>(
    msg: &T,
    scratch: &mut [u8],
    out: &mut [u8],
) -> Result<usize, FrameError> {
    let used = postcard::to_slice(msg, scratch)
        .map_err(|_| FrameError::TooLong)?
        .len();
    let crc = CRC16.checksum(&scratch[..used]);
    let total = used + 2;
    if scratch.len() < total {
        return Err(FrameError::TooLong);
    }
    scratch[used..total].copy_from_slice(&crc.to_le_bytes());
    let need = corncobs::max_encoded_len(total) + 1;
    if out.len() < need {
        return Err(FrameError::TooLong);
    }
    out[0] = 0;
    // `encode_buf` writes the trailing 0x00 itself.
    let n = corncobs::encode_buf(&scratch[..total], &mut out[1..]);
    Ok(n + 1)
}

/// Encodes `msg` as a complete frame like [`encode`], but hands the frame
/// to `write` piece by piece (the delimiters, each COBS code byte, each
/// run of message bytes straight from `scratch`) instead of into a second
/// buffer: a device sends with one frame-sized buffer, not two. The
/// pieces concatenate to exactly [`encode`]'s bytes. `max_frame` bounds
/// the frame as `out.len()` does for [`encode`]: a frame that might not
/// fit is `TooLong`, and nothing is written.
pub fn encode_to<T: Serialize>(
    msg: &T,
    scratch: &mut [u8],
    max_frame: usize,
    mut write: impl FnMut(&[u8]),
) -> Result<(), FrameError> {
    let used = postcard::to_slice(msg, scratch)
        .map_err(|_| FrameError::TooLong)?
        .len();
    let total = used + 2;
    let (Some(body), true) = (
        scratch.get_mut(..total),
        corncobs::max_encoded_len(total) < max_frame,
    ) else {
        return Err(FrameError::TooLong);
    };
    let (payload, crc) = body.split_at_mut(used);
    crc.copy_from_slice(&CRC16.checksum(payload).to_le_bytes());
    write(&[0]);
    // COBS as `corncobs::encode_buf` writes it: each zero-free run of the
    // body in chunks of at most 254 bytes, each chunk after its length + 1;
    // a run after a full 254-byte chunk first gets an empty chunk (the zero
    // a full chunk does not imply).
    let mut prev_full = false;
    for mut run in body.split(|&b| b == 0) {
        if prev_full {
            write(&[1]);
        }
        loop {
            let (chunk, rest) = run.split_at(run.len().min(254));
            write(&[chunk.len() as u8 + 1]);
            write(chunk);
            prev_full = chunk.len() == 254;
            run = rest;
            if run.is_empty() {
                break;
            }
        }
    }
    write(&[0]);
    Ok(())
}

/// Encodes `msg` as a complete frame like [`encode`], handing the frame to
/// `write` piece by piece, with no buffer for the message or the frame:
/// only `window` (any size from 1 to 254 bytes; the larger, the fewer
/// passes). The pieces concatenate to exactly [`encode`]'s bytes, and
/// `max_frame` bounds the frame as for [`encode_to`]: a frame that might
/// not fit is `TooLong`, and nothing is written.
///
/// The message is written by its [`Encode`] codec (postcard's bytes,
/// see [`crate::wire`]), several times over (the encoding is
/// deterministic): each pass keeps the `window` bytes of the frame body
/// (postcard bytes ‖ CRC) from some offset on, and counts how far the
/// zero-free run at that offset goes, which COBS needs before a chunk's
/// bytes (its code byte says where the next zero is). The first pass also
/// computes the length and the CRC. A body of `n` bytes takes about
/// `n / window` passes, plus one for each COBS chunk that runs past the
/// window it starts in: a device trades a few serialisations of a message
/// of at most a few hundred bytes (microseconds, next to the
/// milliseconds the UART takes to send it) for a frame-sized buffer.
pub fn encode_windowed(
    msg: &dyn Encode,
    window: &mut [u8],
    max_frame: usize,
    mut write: impl FnMut(&[u8]),
) -> Result<(), FrameError> {
    let w = window.len().min(254);
    let window = window.get_mut(..w).unwrap_or_default();
    if w == 0 {
        return Err(FrameError::TooLong);
    }
    let mut win = Pass::run(msg, window, 0, None);
    let body_len = win.body_len();
    if corncobs::max_encoded_len(body_len) >= max_frame {
        return Err(FrameError::TooLong);
    }
    write(&[0]);
    // COBS as `corncobs::encode_buf` writes it (see `encode_to`): chunks of
    // at most 254 zero-free bytes, each after its length + 1; a zero ends
    // a chunk shorter than 254 implicitly, a full chunk implies none.
    let mut s = 0;
    loop {
        // The chunk at `s`: its length, and whether a zero (or the end of
        // the body) follows it. Read from the window when it shows where
        // the chunk ends; otherwise from a pass starting at `s`.
        let seen = win.end_of_chunk(s, body_len);
        let (n, ended) = match seen {
            Some(chunk) => chunk,
            None => {
                win.move_to(msg, s);
                (win.run.min(254), win.run <= 254)
            }
        };
        write(&[n as u8 + 1]);
        // The chunk's bytes, from this window and the next ones.
        let mut at = s;
        while at < s + n {
            if at >= win.start + win.len {
                win.move_to(msg, at);
            }
            let end = (s + n).min(win.start + win.len);
            write(
                win.window
                    .get(at - win.start..end - win.start)
                    .unwrap_or_default(),
            );
            at = end;
        }
        s += n;
        if !ended {
            continue;
        }
        if s >= body_len {
            break;
        }
        // Past the zero. After a full chunk, that zero was not implied:
        // it is an empty chunk of its own.
        if n == 254 {
            write(&[1]);
        }
        s += 1;
    }
    write(&[0]);
    Ok(())
}

/// One serialisation pass of [`encode_windowed`]: a sink for the
/// message's bytes that keeps nothing but the window.
struct Pass<'w> {
    /// Body bytes seen so far (after [`Pass::run`]: the postcard bytes).
    at: usize,
    /// Body offset of `window[0]`.
    start: usize,
    window: &'w mut [u8],
    /// Body bytes kept in the window.
    len: usize,
    /// Zero-free body bytes from `start` on, counted up to 255 (a full
    /// chunk and one more).
    run: usize,
    run_open: bool,
    /// The CRC of the postcard bytes, while the first pass computes it.
    digest: Option<crc::Digest<'static, u16, NoTable>>,
    /// The CRC, little-endian: the body's last two bytes.
    crc_le: [u8; 2],
}

/// [`CRC16`] as a static, for digests that outlive a call.
static CRC16_STATIC: Crc<u16, NoTable> = CRC16;

impl<'w> Pass<'w> {
    /// Serialises `msg`, then the CRC, keeping the body from offset
    /// `start`. The CRC is computed on the way if `crc_le` is `None`.
    fn run(msg: &dyn Encode, window: &'w mut [u8], start: usize, crc_le: Option<[u8; 2]>) -> Self {
        let mut pass = Pass {
            at: 0,
            start,
            window,
            len: 0,
            run: 0,
            run_open: true,
            digest: crc_le.is_none().then(|| CRC16_STATIC.digest()),
            crc_le: crc_le.unwrap_or_default(),
        };
        msg.encode(&mut Writer::new(&mut |bytes| pass.put(bytes)));
        if let Some(d) = pass.digest.take() {
            pass.crc_le = d.finalize().to_le_bytes();
        }
        let used = pass.at;
        for b in pass.crc_le {
            pass.take(b);
        }
        pass.at = used;
        pass
    }

    /// The body's length: postcard bytes and CRC.
    fn body_len(&self) -> usize {
        self.at + 2
    }

    /// Serialises again, keeping the body from offset `start`.
    fn move_to(&mut self, msg: &dyn Encode, start: usize) {
        let window = core::mem::take(&mut self.window);
        *self = Pass::run(msg, window, start, Some(self.crc_le));
    }

    /// The COBS chunk at body offset `s`, if this pass shows it whole:
    /// its length and whether a zero or the end follows.
    fn end_of_chunk(&self, s: usize, body_len: usize) -> Option<(usize, bool)> {
        if s == self.start {
            return Some((self.run.min(254), self.run <= 254));
        }
        let rest = self.window.get(s.checked_sub(self.start)?..self.len)?;
        match rest.iter().position(|&b| b == 0) {
            // Shorter than the window, so shorter than a full chunk.
            Some(i) => Some((i, true)),
            None if self.start + self.len == body_len => Some((rest.len(), true)),
            None => None,
        }
    }

    /// Message bytes: into the CRC (first pass) and the window.
    fn put(&mut self, bytes: &[u8]) {
        if let Some(d) = self.digest.as_mut() {
            d.update(bytes);
        }
        for &b in bytes {
            self.take(b);
        }
    }

    fn take(&mut self, b: u8) {
        if let Some(i) = self.at.checked_sub(self.start) {
            if let Some(slot) = self.window.get_mut(i) {
                *slot = b;
                self.len = i + 1;
            }
            if self.run_open {
                if b == 0 || self.run == 255 {
                    self.run_open = false;
                } else {
                    self.run += 1;
                }
            }
        }
        self.at += 1;
    }
}

/// Encodes `msg` into a new `Vec` (host side).
#[cfg(any(test, feature = "std"))]
pub fn encode_vec<T: Serialize>(msg: &T) -> Result<std::vec::Vec<u8>, FrameError> {
    let body = postcard::to_stdvec(msg).map_err(|_| FrameError::TooLong)?;
    let mut raw = body;
    let crc = CRC16.checksum(&raw);
    raw.extend_from_slice(&crc.to_le_bytes());
    let mut out = std::vec![0u8; corncobs::max_encoded_len(raw.len()) + 1];
    let n = corncobs::encode_buf(&raw, &mut out[1..]);
    out.truncate(n + 1);
    Ok(out)
}

/// Checks and strips the CRC of a COBS-decoded frame body, returning the
/// postcard payload.
pub fn check_crc(body: &[u8]) -> Result<&[u8], FrameError> {
    if body.len() < 2 {
        return Err(FrameError::Short);
    }
    let (payload, crc) = body.split_at(body.len() - 2);
    let want = u16::from_le_bytes([crc[0], crc[1]]);
    if CRC16.checksum(payload) == want {
        Ok(payload)
    } else {
        Err(FrameError::Crc)
    }
}

/// Decodes a postcard payload (as returned by [`FrameDecoder::push`]) into a
/// message that may borrow from it.
pub fn decode<'a, T: Deserialize<'a>>(payload: &'a [u8]) -> Result<T, FrameError> {
    postcard::from_bytes(payload).map_err(|_| FrameError::Decode)
}

/// What one byte did to the decoder.
#[derive(Debug, PartialEq, Eq)]
pub enum Feed<'a> {
    /// More bytes are needed.
    Pending,
    /// A complete frame with a good checksum: its postcard payload.
    Frame(&'a [u8]),
    /// A frame was dropped (bad COBS, bad CRC, or longer than the buffer).
    Dropped(FrameError),
}

/// Sans-I/O frame decoder with a fixed `N`-byte buffer.
///
/// Bytes between delimiters accumulate in the buffer; a delimiter completes
/// the frame. A frame longer than `N` is discarded up to its delimiter and
/// reported once as [`FrameError::TooLong`].
#[derive(Debug)]
pub struct FrameDecoder<const N: usize> {
    buf: [u8; N],
    len: usize,
    overflow: bool,
}

impl<const N: usize> Default for FrameDecoder<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> FrameDecoder<N> {
    /// An empty decoder.
    pub const fn new() -> Self {
        FrameDecoder {
            buf: [0; N],
            len: 0,
            overflow: false,
        }
    }

    /// Forgets any partial frame.
    pub fn reset(&mut self) {
        self.len = 0;
        self.overflow = false;
    }

    /// Feeds one byte. On a delimiter that ends a good frame, returns the
    /// payload (valid until the next call).
    pub fn push(&mut self, byte: u8) -> Feed<'_> {
        if byte != 0 {
            if self.len < N {
                self.buf[self.len] = byte;
                self.len += 1;
            } else {
                self.overflow = true;
            }
            return Feed::Pending;
        }
        let len = core::mem::replace(&mut self.len, 0);
        if core::mem::replace(&mut self.overflow, false) {
            return Feed::Dropped(FrameError::TooLong);
        }
        if len == 0 {
            return Feed::Pending;
        }
        let body = &mut self.buf[..len];
        let decoded = match corncobs::decode_in_place(body) {
            Ok(n) => n,
            Err(_) => return Feed::Dropped(FrameError::Cobs),
        };
        match check_crc(&self.buf[..decoded]) {
            Ok(payload) => Feed::Frame(payload),
            Err(e) => Feed::Dropped(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_then_decode_round_trips() {
        let msg: (u16, &str) = (7, "hello");
        let frame = encode_vec(&msg).unwrap();
        assert_eq!(frame[0], 0);
        assert_eq!(*frame.last().unwrap(), 0);
        assert!(!frame[1..frame.len() - 1].contains(&0));
        let mut dec = FrameDecoder::<64>::new();
        let mut got = None;
        for &b in &frame {
            if let Feed::Frame(p) = dec.push(b) {
                got = Some(
                    decode::<(u16, &str)>(p)
                        .map(|(a, s)| (a, s.to_string()))
                        .unwrap(),
                );
            }
        }
        assert_eq!(got, Some((7, "hello".to_string())));
    }

    #[test]
    fn slice_and_vec_encoders_agree() {
        let msg: (u32, &[u8]) = (0xdead_beef, &[0, 1, 2, 0, 0, 255]);
        let mut scratch = [0u8; 64];
        let mut out = [0u8; 80];
        let n = encode(&msg, &mut scratch, &mut out).unwrap();
        assert_eq!(&out[..n], &encode_vec(&msg).unwrap()[..]);
    }

    #[test]
    fn streamed_frames_are_the_buffered_ones() {
        // Runs around COBS's 254-byte chunk: none, short, exactly full,
        // full then more, full then a zero, zeros only.
        let mut bodies: std::vec::Vec<std::vec::Vec<u8>> = std::vec::Vec::new();
        for n in [0usize, 1, 5, 252, 253, 254, 255, 300, 508, 509] {
            bodies.push((0..n).map(|i| (i % 255) as u8 + 1).collect());
            let mut with_zero: std::vec::Vec<u8> = (0..n).map(|_| 7).collect();
            with_zero.push(0);
            with_zero.extend([1, 0, 0, 9]);
            bodies.push(with_zero);
        }
        bodies.push(std::vec![0; 10]);
        for body in &bodies {
            let msg = body.as_slice();
            let mut scratch = [0u8; 700];
            let mut out = [0u8; 800];
            let n = encode(&msg, &mut scratch, &mut out).unwrap();
            let mut streamed = std::vec::Vec::new();
            encode_to(&msg, &mut scratch, out.len(), |b| {
                streamed.extend_from_slice(b)
            })
            .unwrap();
            assert_eq!(streamed, &out[..n], "body of {} bytes", body.len());
            // The same bound as `encode`'s output buffer.
            let mut short = [0u8; 700];
            let tight = encode(&msg, &mut scratch, &mut short[..n - 1]).is_err();
            let mut wrote = false;
            let r = encode_to(&msg, &mut scratch, n - 1, |_| wrote = true);
            assert_eq!(r.is_err(), tight);
            assert!(!(r.is_err() && wrote));
        }
    }

    #[test]
    fn windowed_frames_are_the_buffered_ones() {
        // Runs around COBS's 254-byte chunk and around the window's edge,
        // zeros at the start, the end and side by side.
        let mut bodies: std::vec::Vec<std::vec::Vec<u8>> = std::vec::Vec::new();
        for n in [
            0usize, 1, 5, 62, 63, 64, 65, 252, 253, 254, 255, 256, 300, 508, 509,
        ] {
            bodies.push((0..n).map(|i| (i % 255) as u8 + 1).collect());
            let mut with_zero: std::vec::Vec<u8> = (0..n).map(|_| 7).collect();
            with_zero.push(0);
            with_zero.extend([1, 0, 0, 9]);
            bodies.push(with_zero);
            let mut ends_zero: std::vec::Vec<u8> = (0..n).map(|_| 3).collect();
            ends_zero.push(0);
            bodies.push(ends_zero);
        }
        bodies.push(std::vec![0; 10]);
        bodies.push((0..700).map(|i| (i % 3) as u8).collect());
        for body in &bodies {
            let msg = body.as_slice();
            let want = encode_vec(&msg).unwrap();
            for w in [1usize, 2, 7, 64, 254, 300] {
                let mut window = std::vec![0u8; w];
                let mut got = std::vec::Vec::new();
                encode_windowed(&msg, &mut window, 1024, |b| got.extend_from_slice(b)).unwrap();
                assert_eq!(got, want, "body of {} bytes, window {w}", body.len());
            }
            // The same bound as `encode_to`.
            let mut scratch = [0u8; 1024];
            let n = want.len();
            let tight = encode_to(&msg, &mut scratch, n - 1, |_| {}).is_err();
            let mut wrote = false;
            let r = encode_windowed(&msg, &mut [0u8; 64], n - 1, |_| wrote = true);
            assert_eq!(r.is_err(), tight);
            assert!(!(r.is_err() && wrote));
        }
    }

    #[test]
    fn oversized_frame_is_dropped_and_decoder_recovers() {
        let big = encode_vec(&[7u8; 40].as_slice()).unwrap();
        let small = encode_vec(&1u8).unwrap();
        let mut dec = FrameDecoder::<16>::new();
        let mut events = std::vec::Vec::new();
        for &b in big.iter().chain(small.iter()) {
            match dec.push(b) {
                Feed::Pending => {}
                Feed::Frame(p) => events.push(std::format!("frame {:?}", decode::<u8>(p))),
                Feed::Dropped(e) => events.push(std::format!("dropped {e:?}")),
            }
        }
        assert_eq!(events, ["dropped TooLong", "frame Ok(1)"]);
    }

    #[test]
    fn too_small_output_is_an_error_not_a_panic() {
        let mut scratch = [0u8; 64];
        let mut out = [0u8; 4];
        assert_eq!(
            encode(&"a long message", &mut scratch, &mut out),
            Err(FrameError::TooLong)
        );
        let mut tiny = [0u8; 2];
        assert_eq!(
            encode(&"a long message", &mut tiny, &mut [0u8; 64]),
            Err(FrameError::TooLong)
        );
    }
}
