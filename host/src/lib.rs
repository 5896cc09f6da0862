//! The p14p host tool: compiler, session, transports, REPL and commands.
//!
//! | module        | what |
//! |---------------|------|
//! | [`compile`]   | Python source → p14p image (ruff's parser, scopes, codegen) |
//! | [`diag`]      | rustc-style diagnostics: spans, line index, rendering |
//! | [`transport`] | PORT string → byte stream: serial, `tcp:`, `sim` |
//! | [`library`]   | the frozen library: `lib/*.py` compiled into the blob the firmware carries |
//! | [`modules`]   | a program and the modules it imports from files next to it |
//! | [`device`]    | [`Device`]: the API for scripts and tests (exec, eval → [`Value`], files, memory, watch); [`device::blocking`] without async |
//! | [`session`]   | one connection: handshake, requests by sequence number, retries, output |
//! | [`trace`]     | device tracebacks → CPython-style tracebacks with source lines |
//! | [`repl`]      | `p14p repl`: grouping input, rustyline, piped mode |
//! | [`cli`]       | the command line and its commands (`test`: the HIL runner; `probe`: peek, poke, watch) |
//! | [`inspect`]   | `p14p inspect`: the heap inspector TUI |
//! | [`ui`]        | `p14p ui`: REPL, heap, files and device in one TUI |
//! | [`regmap`]    | register names and fields from CMSIS-SVD files |
//! | [`mod@bench`] | `p14p bench`: latency and speed measurements |
#![deny(unsafe_code)]

pub mod bench;
pub mod cli;
pub mod compile;
pub mod config;
pub mod device;
pub mod diag;
pub mod inspect;
pub mod library;
pub mod modules;
pub mod program;
pub mod progress;
pub mod regmap;
pub mod repl;
pub mod session;
pub mod sha256;
pub mod trace;
pub mod transport;
pub mod ui;

pub use device::{Device, Error, Value};
