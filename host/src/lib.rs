//! The p14p host tool: compiler, session, transports, REPL and commands.
//!
//! | module      | what |
//! |-------------|------|
//! | [`compile`] | Python source → p14p image (ruff's parser, scopes, codegen) |
//! | [`diag`]    | rustc-style diagnostics: spans, line index, rendering |
#![deny(unsafe_code)]

pub mod compile;
pub mod diag;
pub mod session;
pub mod transport;
