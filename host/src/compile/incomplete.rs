//! Is a REPL input finished, or should the REPL ask for another line?
//!
//! Rules, after CPython's interactive console:
//! * an open bracket, an unterminated triple-quoted string or a trailing
//!   `\` always needs more;
//! * a compound statement (`if`, `def`, `for`, …) needs more until the input
//!   ends with a blank line;
//! * a syntax error at the very end of a multi-line input (or after a
//!   block-opening `:`) needs more, until a blank line is entered: then the
//!   input is complete and compiling it reports the error.
//!
//! The REPL passes the lines entered so far, each ending with `\n`; an
//! empty line entered by the user thus makes the input end with `\n\n`.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{PythonVersion, Stmt};
use ruff_python_parser::{
    InterpolatedStringErrorType, LexicalErrorType, Mode, ParseErrorType, ParseOptions,
};

/// True when `source` is an unfinished block, bracket or string, so the REPL
/// should read another line before compiling it.
pub fn is_incomplete(source: &str) -> bool {
    if source.trim().is_empty() {
        return false;
    }
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY311);
    let parsed = ruff_python_parser::parse_unchecked(source, options);
    let end = source.trim_end().len();

    let unterminated_triple = parsed.errors().iter().any(|e| {
        let triple = source
            .get(e.location.start().to_usize()..)
            .is_some_and(|s| {
                s.chars().take(6).collect::<String>().contains("\"\"\"")
                    || s.chars().take(6).collect::<String>().contains("'''")
            });
        match &e.error {
            ParseErrorType::Lexical(LexicalErrorType::UnclosedStringError) => triple,
            ParseErrorType::Lexical(LexicalErrorType::FStringError(
                InterpolatedStringErrorType::UnterminatedTripleQuotedString,
            ))
            | ParseErrorType::FStringError(
                InterpolatedStringErrorType::UnterminatedTripleQuotedString,
            ) => true,
            _ => false,
        }
    });
    if unterminated_triple {
        return true;
    }

    let mut brackets: i32 = 0;
    let mut last_significant = None;
    for t in parsed.tokens().iter() {
        match t.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => brackets += 1,
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => brackets -= 1,
            _ => {}
        }
        if !matches!(
            t.kind(),
            TokenKind::Newline
                | TokenKind::NonLogicalNewline
                | TokenKind::Comment
                | TokenKind::Indent
                | TokenKind::Dedent
                | TokenKind::EndOfFile
        ) {
            last_significant = Some(t.kind());
        }
    }
    let errors_at_end = !parsed.errors().is_empty()
        && parsed
            .errors()
            .iter()
            .all(|e| e.location.start().to_usize() >= end);
    if brackets > 0 {
        // More lines close the bracket, unless an error came before the end.
        return parsed.errors().is_empty() || errors_at_end;
    }
    let body = source.trim_end_matches([' ', '\t', '\r']);
    if body.ends_with("\\\n") || body.ends_with('\\') {
        return true;
    }
    if ends_with_blank_line(source) {
        return false;
    }
    if !parsed.errors().is_empty() {
        let multi_line = source.trim_end().contains('\n');
        return errors_at_end && (multi_line || last_significant == Some(TokenKind::Colon));
    }
    let Some(module) = parsed.try_into_module() else {
        return false;
    };
    matches!(
        module.syntax().body.last(),
        Some(
            Stmt::If(_)
                | Stmt::While(_)
                | Stmt::For(_)
                | Stmt::With(_)
                | Stmt::Try(_)
                | Stmt::FunctionDef(_)
                | Stmt::ClassDef(_)
                | Stmt::Match(_)
        )
    )
}

/// The input's last line (after its own newline) is empty or whitespace.
fn ends_with_blank_line(source: &str) -> bool {
    let s = source.strip_suffix('\n').unwrap_or(source);
    let s = s.strip_suffix('\r').unwrap_or(s);
    s.rsplit('\n').next().is_some_and(|l| l.trim().is_empty()) && s.contains('\n')
}

#[cfg(test)]
mod tests {
    use super::is_incomplete;

    #[test]
    fn simple_statements_are_complete() {
        assert!(!is_incomplete("x = 1\n"));
        assert!(!is_incomplete("print(1)"));
        assert!(!is_incomplete(""));
        assert!(
            !is_incomplete("x = \n"),
            "a one-line error is reported at once"
        );
    }

    #[test]
    fn open_blocks_need_more() {
        assert!(is_incomplete("def f():\n"));
        assert!(is_incomplete("def f():"));
        assert!(is_incomplete("if x:\n    y\n"));
        assert!(is_incomplete("if x: y\n"));
        assert!(is_incomplete("class A:\n    def f(self):\n"));
        assert!(is_incomplete("try:\n    pass\n"));
        assert!(!is_incomplete("if x:\n    y\n\n"));
        assert!(
            !is_incomplete("try:\n    pass\n\n"),
            "the blank line ends it: compile reports"
        );
    }

    #[test]
    fn brackets_strings_and_continuations_need_more() {
        assert!(is_incomplete("print(1,\n"));
        assert!(is_incomplete("x = [\n  1,\n"));
        assert!(is_incomplete("x = (\n\n"), "brackets ignore blank lines");
        assert!(is_incomplete("s = \"\"\"abc\n"));
        assert!(is_incomplete("x = 1 + \\\n"));
        assert!(
            !is_incomplete("x = (1 +* 2\n"),
            "an error inside is reported"
        );
        assert!(!is_incomplete("s = '(' \n"));
    }
}
