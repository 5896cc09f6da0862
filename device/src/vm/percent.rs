//! `str % args` for the everyday shape, straight into one new str.
//!
//! A template whose conversions are all plain `%d`, `%i`, `%s` or `%%` (no
//! mapping key, flags, width or precision), applied to small ints and
//! strs, is the common case on a device ("t=%d", "%s:%d"). It is rendered
//! in two passes over the template: the first checks the shape and adds
//! up the length, the second writes into a str allocated once. Anything
//! else (other conversions, floats, big ints, instances, a wrong argument
//! count) answers `None` before allocating, and the caller takes the
//! general path in `builtins::format`, which also raises the errors.

use super::{Vm, R};
use crate::heap::Value;
use crate::obj::str::data;
use crate::obj::tag;

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
    /// `template % args` when both have the simple shape (see the module
    /// doc); `Ok(None)`: take the general path. `template` (a str) and
    /// `args` must be reachable (on the value stack): the result is
    /// allocated between the passes.
    pub(crate) fn str_percent_simple(&mut self, template: Value, args: Value) -> R<Option<Value>> {
        let Some(total) = self.percent_pass(template, args, None) else {
            return Ok(None);
        };
        let w = self.str_alloc(total)?;
        self.percent_pass(template, args, Some(data(w)));
        self.str_finish(w);
        Ok(Some(Value::obj(w)))
    }

    /// One pass over `template`: the rendered length, writing the text
    /// from arena byte `out` when given. `None` when the shape is not the
    /// simple one.
    fn percent_pass(&mut self, template: Value, args: Value, out: Option<usize>) -> Option<usize> {
        let (ts, tl) = self.str_span(template);
        // The values: a tuple's items, or `args` itself.
        let (items, count) = if self.is(args, tag::TUPLE) {
            let (b, n) = self.seq_items(args)?;
            (Some(b), n)
        } else {
            (None, 1)
        };
        let (mut len, mut next, mut lit, mut i) = (0usize, 0usize, 0usize, 0usize);
        while i < tl {
            if self.heap.byte(ts + i) != b'%' {
                i += 1;
                continue;
            }
            self.percent_copy(out, &mut len, ts + lit, i - lit);
            let conv = if i + 1 < tl {
                self.heap.byte(ts + i + 1)
            } else {
                return None;
            };
            i += 2;
            lit = i;
            if conv == b'%' {
                // The second `%` is the text.
                self.percent_copy(out, &mut len, ts + i - 1, 1);
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
                let digits = buf.get(at..).unwrap_or(&[]);
                if let Some(d) = out {
                    let dst = d + len..d + len + digits.len();
                    if let Some(dst) = self.heap.bytes_mut().get_mut(dst) {
                        dst.copy_from_slice(digits);
                    }
                }
                len += digits.len();
            } else if conv == b's' && self.is_str(v) {
                let (s, n) = self.str_span(v);
                self.percent_copy(out, &mut len, s, n);
            } else {
                return None;
            }
        }
        if next != count {
            return None;
        }
        self.percent_copy(out, &mut len, ts + lit, tl - lit);
        Some(len)
    }

    /// Adds `n` arena bytes from `src` to the text: copied to `out + len`
    /// when writing.
    #[inline]
    fn percent_copy(&mut self, out: Option<usize>, len: &mut usize, src: usize, n: usize) {
        if let Some(d) = out {
            let bytes = self.heap.bytes_mut();
            if src + n <= bytes.len() && d + *len + n <= bytes.len() {
                bytes.copy_within(src..src + n, d + *len);
            }
        }
        *len += n;
    }
}
