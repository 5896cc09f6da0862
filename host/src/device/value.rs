//! [`Value`]: a Python value brought back from the device by
//! [`Device::eval`](super::Device::eval), and the parser of the `repr`
//! text it comes as.
//!
//! The device evaluates `repr(EXPR)` and prints it (the protocol has no
//! value channel, and a new one would cost firmware; see
//! `docs/ARCHITECTURE.md`, "Values come back as their repr"). The host parses
//! the literal forms CPython's `repr` gives for the builtin types:
//!
//! | repr | value |
//! |---|---|
//! | `None`, `True`, `False` | [`Value::None`], [`Value::Bool`] |
//! | `42`, `-7`, `123456789012345678901234567890` | [`Value::Int`], [`Value::BigInt`] (decimal text) |
//! | `1.5`, `1e+20`, `inf`, `nan` | [`Value::Float`] |
//! | `'a\nb'`, `"it's"` | [`Value::Str`] |
//! | `b'\x00a'` | [`Value::Bytes`] |
//! | `[..]`, `(..)`, `{k: v}`, `{1, 2}`, `set()` | [`Value::List`], [`Value::Tuple`], [`Value::Dict`], [`Value::Set`] |
//! | anything else (`<function f>`, `Point(1, 2)`, `bytearray(b'')`) | [`Value::Repr`], the text as it came |
//!
//! A container holding something unparseable keeps the rest parsed:
//! `[1, <function f>]` is a list of an int and a `Repr`.

use std::fmt::{self, Write};

/// A Python value, as [`Device::eval`](super::Device::eval) returns it.
///
/// ```
/// use p14p::Value;
/// let v = Value::parse("{'a': [1, 2.5, None], 'b': (True, b'\\x00')}");
/// assert_eq!(
///     v,
///     Value::Dict(vec![
///         (Value::Str("a".into()),
///          Value::List(vec![Value::Int(1), Value::Float(2.5), Value::None])),
///         (Value::Str("b".into()),
///          Value::Tuple(vec![Value::Bool(true), Value::Bytes(vec![0])])),
///     ])
/// );
/// // Display gives the repr back.
/// assert_eq!(v.to_string(), "{'a': [1, 2.5, None], 'b': (True, b'\\x00')}");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An int that fits 64 bits.
    Int(i64),
    /// A larger int, as its decimal text (with a leading `-` when
    /// negative).
    BigInt(String),
    /// A float.
    Float(f64),
    /// A str.
    Str(String),
    /// A bytes object.
    Bytes(Vec<u8>),
    /// A list.
    List(Vec<Value>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A dict, its items in order.
    Dict(Vec<(Value, Value)>),
    /// A set, in the order its repr gave.
    Set(Vec<Value>),
    /// A value with no literal form here (a function, an instance, a
    /// bytearray): its repr as the device gave it.
    Repr(String),
}

/// How deep containers may nest before the rest is kept as text: the
/// parser recurses, and a hostile repr must not overflow the host's stack.
const MAX_DEPTH: usize = 64;

impl Value {
    /// Parses a repr. Never fails: text that is no literal becomes
    /// [`Value::Repr`].
    ///
    /// ```
    /// use p14p::Value;
    /// assert_eq!(Value::parse("-3"), Value::Int(-3));
    /// assert_eq!(Value::parse("2 ** 100"), Value::Repr("2 ** 100".into()));
    /// ```
    pub fn parse(repr: &str) -> Value {
        let text = repr.trim();
        let mut p = Parser { s: text, at: 0 };
        match p.value(0) {
            Some(v) if p.rest().trim().is_empty() => v,
            _ => Value::Repr(text.to_string()),
        }
    }
}

/// A recursive-descent parser over the repr's text.
struct Parser<'a> {
    s: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.at..]
    }

    fn skip_ws(&mut self) {
        let r = self.rest();
        self.at += r.len() - r.trim_start().len();
    }

    fn eat(&mut self, t: &str) -> bool {
        if self.rest().starts_with(t) {
            self.at += t.len();
            true
        } else {
            false
        }
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.skip_ws();
        if depth > MAX_DEPTH {
            return None;
        }
        let c = self.peek()?;
        match c {
            '[' => {
                self.at += 1;
                self.items(']', depth).map(|(v, _)| Value::List(v))
            }
            '(' => {
                self.at += 1;
                let (items, trailing_comma) = self.items(')', depth)?;
                // `(1)` is not a tuple repr; `(1,)` is.
                if items.len() == 1 && !trailing_comma {
                    return None;
                }
                Some(Value::Tuple(items))
            }
            '{' => {
                self.at += 1;
                self.dict_or_set(depth)
            }
            '\'' | '"' => self.string().map(Value::Str),
            'b' if matches!(self.rest().as_bytes().get(1), Some(b'\'' | b'"')) => {
                self.at += 1;
                self.bytes().map(Value::Bytes)
            }
            '<' => self.angle().map(Value::Repr),
            '-' | '0'..='9' => self.number(),
            _ => self.word(),
        }
    }

    /// Items up to `close`, separated by commas; whether a comma ended
    /// the last one.
    fn items(&mut self, close: char, depth: usize) -> Option<(Vec<Value>, bool)> {
        let mut items = Vec::new();
        let mut comma = false;
        loop {
            self.skip_ws();
            if self.eat(&close.to_string()) {
                return Some((items, comma));
            }
            if !items.is_empty() && !comma {
                return None;
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            comma = self.eat(",");
        }
    }

    fn dict_or_set(&mut self, depth: usize) -> Option<Value> {
        self.skip_ws();
        if self.eat("}") {
            return Some(Value::Dict(Vec::new()));
        }
        let first = self.value(depth + 1)?;
        self.skip_ws();
        if !self.eat(":") {
            // A set: the first item is read, the rest as a list's.
            let mut items = vec![first];
            self.skip_ws();
            if self.eat(",") {
                items.extend(self.items('}', depth)?.0);
            } else if !self.eat("}") {
                return None;
            }
            return Some(Value::Set(items));
        }
        let mut pairs = vec![(first, self.value(depth + 1)?)];
        loop {
            self.skip_ws();
            if self.eat("}") {
                return Some(Value::Dict(pairs));
            }
            if !self.eat(",") {
                return None;
            }
            self.skip_ws();
            if self.eat("}") {
                return Some(Value::Dict(pairs));
            }
            let k = self.value(depth + 1)?;
            self.skip_ws();
            if !self.eat(":") {
                return None;
            }
            pairs.push((k, self.value(depth + 1)?));
        }
    }

    /// A quoted str with Python's escapes.
    fn string(&mut self) -> Option<String> {
        let quote = self.peek()?;
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c == quote => {
                    self.at += i + 1;
                    return Some(out);
                }
                '\\' => {
                    let (_, e) = chars.next()?;
                    let mut hex = |n: usize| {
                        let digits: String =
                            (0..n).filter_map(|_| chars.next()).map(|x| x.1).collect();
                        u32::from_str_radix(&digits, 16)
                            .ok()
                            .filter(|_| digits.len() == n)
                            .and_then(char::from_u32)
                    };
                    out.push(match e {
                        'x' => hex(2)?,
                        'u' => hex(4)?,
                        'U' => hex(8)?,
                        e => simple_escape(e)? as char,
                    });
                }
                c => out.push(c),
            }
        }
        None
    }

    /// A bytes literal's quoted part (after the `b`).
    fn bytes(&mut self) -> Option<Vec<u8>> {
        let quote = *self.rest().as_bytes().first()?;
        self.at += 1;
        let raw = self.rest().as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            let b = raw[i];
            i += 1;
            if b == quote {
                self.at += i;
                return Some(out);
            }
            if b != b'\\' {
                out.push(b);
                continue;
            }
            let e = *raw.get(i)?;
            i += 1;
            if e == b'x' {
                let digits = std::str::from_utf8(raw.get(i..i + 2)?).ok()?;
                out.push(u8::from_str_radix(digits, 16).ok()?);
                i += 2;
            } else {
                out.push(simple_escape(e as char)?);
            }
        }
        None
    }

    /// `<...>`, the usual repr of an object without a literal form, kept
    /// as text (nested `<>` counted).
    fn angle(&mut self) -> Option<String> {
        let mut depth = 0usize;
        for (i, c) in self.rest().char_indices() {
            match c {
                '<' => depth += 1,
                '>' => {
                    depth -= 1;
                    if depth == 0 {
                        let text = self.rest()[..=i].to_string();
                        self.at += i + 1;
                        return Some(text);
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn number(&mut self) -> Option<Value> {
        let r = self.rest();
        let end = r
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_alphanumeric()
                    || c == '.'
                    || ((c == '-' || c == '+') && (i == 0 || r[..i].ends_with(['e', 'E']))))
            })
            .map_or(r.len(), |(i, _)| i);
        let text = &r[..end];
        let v = if let Ok(i) = text.parse::<i64>() {
            Value::Int(i)
        } else if !text.is_empty()
            && text
                .trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit())
            && text != "-"
        {
            Value::BigInt(text.to_string())
        } else if text == "-inf" {
            Value::Float(f64::NEG_INFINITY)
        } else if text.bytes().any(|b| b.is_ascii_digit())
            && !text.contains(['i', 'n', 'j', 'x', 'X'])
        {
            Value::Float(text.parse().ok()?)
        } else {
            return None;
        };
        self.at += end;
        Some(v)
    }

    /// A name: `None`, `True`, `False`, `inf`, `nan`, `set()`, or a call
    /// form such as `Point(1, 2)` or `bytearray(b'')` kept as text.
    fn word(&mut self) -> Option<Value> {
        let r = self.rest();
        let end = r
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map_or(r.len(), |(i, _)| i);
        if end == 0 {
            return None;
        }
        let name = &r[..end];
        let after = &r[end..];
        if after.starts_with('(') {
            if name == "set" && after.starts_with("()") {
                self.at += end + 2;
                return Some(Value::Set(Vec::new()));
            }
            let len = end + balanced(after)?;
            let text = r[..len].to_string();
            self.at += len;
            return Some(Value::Repr(text));
        }
        let v = match name {
            "None" => Value::None,
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            "inf" => Value::Float(f64::INFINITY),
            "nan" => Value::Float(f64::NAN),
            _ => Value::Repr(name.to_string()),
        };
        self.at += end;
        Some(v)
    }
}

/// The byte of a one-letter escape (`\n`, `\\`, `\'`, …).
fn simple_escape(e: char) -> Option<u8> {
    Some(match e {
        'n' => b'\n',
        'r' => b'\r',
        't' => b'\t',
        '0' => 0,
        'a' => 7,
        'b' => 8,
        'f' => 12,
        'v' => 11,
        '\\' => b'\\',
        '\'' => b'\'',
        '"' => b'"',
        _ => return None,
    })
}

/// The length of the bracketed group `s` starts with, skipping quoted
/// strings inside it.
fn balanced(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

impl fmt::Display for Value {
    /// The value's Python repr (as CPython writes it for these types).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn seq(f: &mut fmt::Formatter<'_>, items: &[Value]) -> fmt::Result {
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            Ok(())
        }
        match self {
            Value::None => f.write_str("None"),
            Value::Bool(true) => f.write_str("True"),
            Value::Bool(false) => f.write_str("False"),
            Value::Int(i) => write!(f, "{i}"),
            Value::BigInt(s) | Value::Repr(s) => f.write_str(s),
            Value::Float(x) => f.write_str(&float_repr(*x)),
            Value::Str(s) => f.write_str(&str_repr(s)),
            Value::Bytes(b) => {
                let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
                    '"'
                } else {
                    '\''
                };
                write!(f, "b{quote}")?;
                for &c in b {
                    match c {
                        b'\\' => f.write_str("\\\\")?,
                        b'\n' => f.write_str("\\n")?,
                        b'\r' => f.write_str("\\r")?,
                        b'\t' => f.write_str("\\t")?,
                        c if c as char == quote => write!(f, "\\{quote}")?,
                        0x20..=0x7e => f.write_char(c as char)?,
                        c => write!(f, "\\x{c:02x}")?,
                    }
                }
                f.write_char(quote)
            }
            Value::List(v) => {
                f.write_char('[')?;
                seq(f, v)?;
                f.write_char(']')
            }
            Value::Tuple(v) => {
                f.write_char('(')?;
                seq(f, v)?;
                if v.len() == 1 {
                    f.write_char(',')?;
                }
                f.write_char(')')
            }
            Value::Set(v) if v.is_empty() => f.write_str("set()"),
            Value::Set(v) => {
                f.write_char('{')?;
                seq(f, v)?;
                f.write_char('}')
            }
            Value::Dict(items) => {
                f.write_char('{')?;
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_char('}')
            }
        }
    }
}

/// CPython's repr of a float: the shortest text that reads back, with
/// `.0` on integral values below 1e16 and an exponent (`1e+16`) above.
fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    let exp = if x == 0.0 {
        0
    } else {
        x.abs().log10().floor() as i32
    };
    if (-4..16).contains(&exp) {
        let s = format!("{x:?}");
        return s;
    }
    // Rust's `{:e}` is shortest round-trip too: `1e16`, `1.5e-7`.
    let s = format!("{x:e}");
    let (mantissa, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!("{mantissa}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// CPython's repr of a str: single quotes unless the text holds one and no
/// double quote; `\n`, `\r`, `\t`, `\\` and `\xNN` for other controls.
fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::Value::{self, *};

    #[test]
    fn parses_the_reprs_of_builtin_values() {
        let cases: &[(&str, Value)] = &[
            ("None", None),
            ("True", Bool(true)),
            ("0", Int(0)),
            ("-12", Int(-12)),
            ("9223372036854775807", Int(i64::MAX)),
            (
                "-9223372036854775809",
                BigInt("-9223372036854775809".into()),
            ),
            ("1.5", Float(1.5)),
            ("-0.25", Float(-0.25)),
            ("1e+20", Float(1e20)),
            ("1.5e-07", Float(1.5e-7)),
            ("inf", Float(f64::INFINITY)),
            ("-inf", Float(f64::NEG_INFINITY)),
            (
                "'it\\'s \"x\"\\n\\x00é\\u20ac'",
                Str("it's \"x\"\n\0é€".into()),
            ),
            ("\"it's\"", Str("it's".into())),
            ("b'a\\x00\\xff\\\\'", Bytes(vec![b'a', 0, 255, b'\\'])),
            ("b\"'\"", Bytes(vec![b'\''])),
            ("[]", List(vec![])),
            ("()", Tuple(vec![])),
            ("(1,)", Tuple(vec![Int(1)])),
            ("(1, 'a')", Tuple(vec![Int(1), Str("a".into())])),
            ("{}", Dict(vec![])),
            ("set()", Set(vec![])),
            ("{1, 2}", Set(vec![Int(1), Int(2)])),
            (
                "{1: {2: 3}}",
                Dict(vec![(Int(1), Dict(vec![(Int(2), Int(3))]))]),
            ),
            (
                "[1, <function f at 0x1>, Point(1, ')')]",
                List(vec![
                    Int(1),
                    Repr("<function f at 0x1>".into()),
                    Repr("Point(1, ')')".into()),
                ]),
            ),
            ("bytearray(b'ab')", Repr("bytearray(b'ab')".into())),
            ("(1)", Repr("(1)".into())),
            ("[1 2]", Repr("[1 2]".into())),
            ("'open", Repr("'open".into())),
            ("0x10", Repr("0x10".into())),
            ("1j", Repr("1j".into())),
        ];
        for (text, want) in cases {
            assert_eq!(&Value::parse(text), want, "{text}");
        }
        assert!(matches!(Value::parse("nan"), Float(x) if x.is_nan()));
    }

    #[test]
    fn display_is_the_repr_and_reads_back() {
        for text in [
            "None",
            "[1, -2.5, 'a\\nb', b\"\\x00'\"]",
            "{'k': (1,), 2: set(), 3: {4}}",
            "(\"it's\", 1e+20, 1.5e-07, 0.1, 100.0, inf)",
            "12345678901234567890123",
        ] {
            let v = Value::parse(text);
            assert_eq!(v.to_string(), text);
            assert!(!matches!(v, Repr(_)), "{text}");
        }
    }

    #[test]
    fn deep_nesting_stays_text() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(Value::parse(&deep), Repr(_)));
    }
}
