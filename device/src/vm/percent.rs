//! `str % args` for the everyday shape, rendered on the stack.
//!
//! A template whose conversions are all plain `%d`, `%i`, `%s` or `%%` (no
//! mapping key, flags, width or precision), applied to small ints and
//! strs, is the common case on a device ("t=%d", "%s:%d"). It is rendered
//! in one pass into a stack buffer and becomes one new str: no parts list,
//! no spec strings, no pieces. Anything else (other conversions, floats,
//! big ints, instances, a wrong argument count, a result longer than the
//! buffer) answers `None` without allocating, and the caller hands the
//! template to the frozen library (`_format.percent`, `lib/format.py`),
//! which also raises the errors.

use super::{Vm, R};
use crate::heap::Value;
use crate::obj::tag;

/// Longest result rendered on the stack.
const MAX: usize = 128;

/// Decimal digits of a small int, right-aligned in a buffer: `(buf, at)`,
/// the text is `buf[at..]`.
fn small_decimal(v: Value) -> ([u8; 12], usize) {
    let i = v.small_val();
    let mut u = i.unsigned_abs();
    let mut buf = [0u8; 12];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    (buf, at)
}

impl Vm<'_> {
    /// `template % args` (`template` a str) when both have the simple shape
    /// (see the module doc); `Ok(None)`: take the general path.
    pub(crate) fn str_percent_simple(&mut self, template: Value, args: Value) -> R<Option<Value>> {
        let mut out = [0u8; MAX];
        match self.percent_render(template, args, &mut out) {
            Some(n) => self.str_from_bytes(out.get(..n).unwrap_or(&[])).map(Some),
            None => Ok(None),
        }
    }

    /// Renders `template % args` into `out`: the length, or `None` when
    /// the shape is not the simple one or the text does not fit.
    fn percent_render(&self, template: Value, args: Value, out: &mut [u8; MAX]) -> Option<usize> {
        // The values: a tuple's items, or `args` itself.
        let (items, count) = if self.is(args, tag::TUPLE) {
            let (b, n) = self.seq_items(args)?;
            (Some(b), n)
        } else {
            (None, 1)
        };
        let mut len = 0;
        let mut put = |bytes: &[u8]| -> Option<()> {
            let end = len + bytes.len();
            out.get_mut(len..end)?.copy_from_slice(bytes);
            len = end;
            Some(())
        };
        let mut next = 0;
        let mut rest = self.str_bytes(template);
        while let Some(p) = rest.iter().position(|&c| c == b'%') {
            put(rest.get(..p)?)?;
            let conv = *rest.get(p + 1)?;
            rest = rest.get(p + 2..)?;
            if conv == b'%' {
                put(b"%")?;
                continue;
            }
            if next >= count {
                return None;
            }
            let v = match items {
                Some(b) => self.heap.v(b + next),
                None => args,
            };
            next += 1;
            if v.is_small() && matches!(conv, b'd' | b'i' | b's') {
                let (buf, at) = small_decimal(v);
                put(buf.get(at..)?)?;
            } else if conv == b's' && self.is_str(v) {
                put(self.str_bytes(v))?;
            } else {
                return None;
            }
        }
        put(rest)?;
        (next == count).then_some(len)
    }
}
