//! Grouping typed (or piped) lines into REPL inputs, as CPython does.
//!
//! * A simple statement is complete at the end of its line, unless a bracket,
//!   a triple-quoted string or a backslash continues it.
//! * A compound statement (first line ends with `:`, or a decorator) goes on
//!   until an empty line.
//! * More leniently than CPython, a non-indented line that does not continue
//!   the block (`else:`, `elif`, `except`, `finally`) also ends it and starts
//!   the next input; this lets piped scripts omit the blank line.
//!
//! The scanner here is a fallback: it knows Python's brackets, strings and
//! comments but not its grammar. Where the compiler provides
//! `compile::is_incomplete`, [`needs_more`] defers to it for the non-block
//! case.

use super::keys::INDENT;

/// What the lexical scan of a buffer found at its end.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Scan {
    /// Unclosed `(`, `[` and `{`.
    depth: usize,
    /// Inside a triple-quoted string.
    in_triple: bool,
    /// The last line ends with a backslash continuation.
    backslash: bool,
    /// The first logical line ends with `:` (ignoring comments).
    opens_block: bool,
}

fn scan(src: &str) -> Scan {
    let b = src.as_bytes();
    let mut s = Scan::default();
    let mut i = 0;
    let mut quote: Option<(u8, bool)> = None; // (quote char, triple)
    let mut first_line_done = false;
    let mut last_sig: u8 = 0;
    while i < b.len() {
        let c = b[i];
        if let Some((q, triple)) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                if !triple {
                    quote = None;
                } else if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                    quote = None;
                    i += 2;
                }
                last_sig = q;
            } else if c == b'\n' && !triple {
                // An unterminated single-quoted string: the compiler reports it.
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                let triple = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
                quote = Some((c, triple));
                if triple {
                    i += 2;
                }
            }
            b'(' | b'[' | b'{' => s.depth += 1,
            b')' | b']' | b'}' => s.depth = s.depth.saturating_sub(1),
            b'\\' if b.get(i + 1) == Some(&b'\n') => {
                i += 2;
                continue;
            }
            b'\n' if s.depth == 0 && !first_line_done => {
                first_line_done = true;
                s.opens_block = last_sig == b':';
            }
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            last_sig = c;
        }
        i += 1;
    }
    if !first_line_done && s.depth == 0 {
        s.opens_block = last_sig == b':';
    }
    s.in_triple = matches!(quote, Some((_, true)));
    s.backslash = src.trim_end_matches([' ', '\t']).ends_with('\\');
    s
}

/// Whether `buffer` (lines joined with `\n`, no trailing newline) needs
/// more lines before it can be compiled.
pub fn needs_more(buffer: &str) -> bool {
    let s = scan(buffer);
    if s.depth > 0 || s.in_triple || s.backslash {
        return true;
    }
    if in_block(buffer, &s) {
        // A block ends at an empty line.
        let last = buffer.rsplit('\n').next().unwrap_or("");
        return !(buffer.contains('\n') && last.trim().is_empty());
    }
    false
}

/// Whether `buffer` is a compound statement (which ends at an empty line).
fn in_block(buffer: &str, s: &Scan) -> bool {
    s.opens_block || buffer.trim_start().starts_with('@')
}

/// Whether the last line of `buffer` is a decorator (the decorated
/// definition follows, unindented).
fn ends_with_decorator(buffer: &str) -> bool {
    buffer
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.trim_start().starts_with('@'))
}

/// Whether `line` (not indented) continues the compound statement before it.
fn continues_block(line: &str) -> bool {
    let word = line
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("");
    matches!(word, "else" | "elif" | "except" | "finally")
}

/// The indentation the next line of pending input `buffer` starts with at
/// a terminal (auto-indent, as MicroPython's REPL has it): the last line's,
/// one level deeper after a line ending with `:`, one level shallower
/// after `return`, `pass`, `break`, `continue` or `raise`. None inside
/// brackets or a triple-quoted string, where indentation is free.
pub fn indent_for(buffer: &str) -> String {
    let s = scan(buffer);
    if s.depth > 0 || s.in_triple {
        return String::new();
    }
    let last = buffer.rsplit('\n').next().unwrap_or("");
    let code = last.trim_start();
    let mut width = last.len() - code.len();
    let first_word = code
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("");
    if scan(code).opens_block {
        width += INDENT;
    } else if matches!(
        first_word,
        "return" | "pass" | "break" | "continue" | "raise"
    ) {
        width = width.saturating_sub(INDENT);
    }
    " ".repeat(width)
}

/// Whether the next non-blank line of `rest` is indented: the block a
/// blank line interrupts goes on after it.
fn block_goes_on(rest: &[&str]) -> bool {
    rest.iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with([' ', '\t']))
}

/// Collects lines into complete inputs.
#[derive(Debug, Default)]
pub struct Grouper {
    buf: String,
}

impl Grouper {
    /// An empty grouper.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a partial input is pending (the prompt is then `... `).
    pub fn pending(&self) -> bool {
        !self.buf.is_empty()
    }

    /// The indentation the next line starts with at a terminal
    /// ([`indent_for`] the pending input).
    pub fn indent(&self) -> String {
        indent_for(&self.buf)
    }

    /// Drops the partial input (Ctrl-C at the prompt).
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// Adds one line (without its newline); returns the inputs it completed,
    /// in order (at most two: a block ended by a dedent, and the new line).
    pub fn push(&mut self, line: &str) -> Vec<String> {
        let mut done = Vec::new();
        let line = line.trim_end_matches(['\r', '\n']);
        if self.buf.is_empty() && line.trim().is_empty() {
            return done;
        }
        if !self.buf.is_empty() {
            let s = scan(&self.buf);
            let dedent = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
            if in_block(&self.buf, &s)
                && s.depth == 0
                && !s.in_triple
                && !s.backslash
                && dedent
                && !continues_block(line)
                && !ends_with_decorator(&self.buf)
            {
                done.push(std::mem::take(&mut self.buf));
            }
        }
        if !self.buf.is_empty() {
            self.buf.push('\n');
        }
        self.buf.push_str(line);
        let complete = if line.trim().is_empty() {
            // An empty line ends a block, but not a bracket or a string.
            let s = scan(&self.buf);
            !(s.depth > 0 || s.in_triple)
        } else {
            !needs_more(&self.buf)
        };
        if complete {
            let input = std::mem::take(&mut self.buf);
            let input = input.trim_end().to_string();
            if !input.is_empty() {
                done.push(input);
            }
        }
        done
    }

    /// Adds a bracketed paste: `text`, several lines at once. Grouped as
    /// if typed, except that a blank line followed by an indented one does
    /// not end a pending block: the paste is known whole, so a function
    /// with blank lines between its statements stays one input.
    pub fn push_paste(&mut self, text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut done = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let blank = line.trim().is_empty();
            if blank && self.pending() && block_goes_on(&lines[i + 1..]) {
                self.buf.push('\n');
                self.buf.push_str(line.trim_end_matches('\r'));
                continue;
            }
            done.extend(self.push(line));
        }
        done
    }

    /// End of input: whatever is pending, if anything.
    pub fn finish(&mut self) -> Option<String> {
        let input = std::mem::take(&mut self.buf).trim_end().to_string();
        (!input.is_empty()).then_some(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(text: &str) -> Vec<String> {
        let mut g = Grouper::new();
        let mut out = Vec::new();
        for line in text.lines() {
            out.extend(g.push(line));
        }
        out.extend(g.finish());
        out
    }

    #[test]
    fn simple_statements_are_one_line_each() {
        assert_eq!(group("x = 1\nx + 1\n"), ["x = 1", "x + 1"]);
    }

    #[test]
    fn blocks_end_at_an_empty_line() {
        let mut g = Grouper::new();
        assert!(g.push("def f(x):").is_empty());
        assert!(g.pending());
        assert!(g.push("    return x").is_empty());
        assert_eq!(g.push(""), ["def f(x):\n    return x"]);
        assert!(!g.pending());
    }

    #[test]
    fn a_dedented_line_ends_a_block_in_piped_input() {
        assert_eq!(
            group("for i in range(3):\n    print(i)\nprint('done')\n"),
            ["for i in range(3):\n    print(i)", "print('done')"]
        );
    }

    #[test]
    fn decorated_definitions_are_blocks() {
        assert_eq!(
            group("@dec\ndef f():\n    return 1\nprint(f())\n"),
            ["@dec\ndef f():\n    return 1", "print(f())"]
        );
    }

    #[test]
    fn else_and_except_continue_the_block() {
        assert_eq!(
            group("if x:\n    a()\nelse:\n    b()\n\ntry:\n    c()\nexcept E:\n    pass\n"),
            [
                "if x:\n    a()\nelse:\n    b()",
                "try:\n    c()\nexcept E:\n    pass"
            ]
        );
    }

    #[test]
    fn brackets_strings_and_backslashes_continue_a_line() {
        assert_eq!(
            group("x = [1,\n\n  2]\ny = 3"),
            ["x = [1,\n\n  2]", "y = 3"]
        );
        assert_eq!(group("s = '''a\n\nb'''\n"), ["s = '''a\n\nb'''"]);
        assert_eq!(group("x = 1 + \\\n  2\n"), ["x = 1 + \\\n  2"]);
        assert_eq!(group("d = {'}': 1}\n"), ["d = {'}': 1}"]);
    }

    #[test]
    fn a_pasted_function_keeps_its_blank_lines() {
        let mut g = Grouper::new();
        let text = "def f(x):\n    y = x + 1\n\n    return y\n\nprint(f(1))";
        assert_eq!(
            g.push_paste(text),
            ["def f(x):\n    y = x + 1\n\n    return y", "print(f(1))"]
        );
        assert!(!g.pending());
        // The block's end may still come in a later line.
        assert!(g.push_paste("if x:\n    a()\n\n    b()").is_empty());
        assert_eq!(g.push(""), ["if x:\n    a()\n\n    b()"]);
    }

    #[test]
    fn auto_indent_follows_the_block() {
        assert_eq!(indent_for("def f(x):"), "    ");
        assert_eq!(indent_for("def f(x):\n    if x:  # note"), "        ");
        assert_eq!(
            indent_for("def f(x):\n    if x:\n        y = 1"),
            "        "
        );
        assert_eq!(indent_for("def f(x):\n    if x:\n        return 1"), "    ");
        assert_eq!(indent_for("while True:\n    pass"), "");
        assert_eq!(indent_for("x = [1,"), "");
        assert_eq!(indent_for("s = \"\"\"a:"), "");
        assert_eq!(indent_for("for c in ':':"), "    ");
        assert_eq!(indent_for("if x: y()"), "");
    }

    #[test]
    fn colons_in_strings_comments_and_dicts_do_not_open_blocks() {
        assert!(!needs_more("x = ':'"));
        assert!(!needs_more("x = 1  # note:"));
        assert!(!needs_more("d = {1: 2}"));
        assert!(needs_more("while True:  # forever"));
        assert!(needs_more("@decorator"));
    }
}
