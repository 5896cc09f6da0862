//! The host's half of `eval` and `exec` (protocol 13): a running
//! program's `Compile` asks for the source compiled
//! ([`crate::compile::compile_dynamic`]) and pulls the answer chunk by
//! chunk; [`Answers`] keeps the last answer for the next offsets.
//!
//! Tracebacks through such code show its lines: each image's debug info
//! is remembered for the process ([`debug`]), the first
//! [`REMEMBERED`] distinct ones (a program that `eval`s a fresh string
//! in a loop must not grow the host without bound; later ones show
//! `<string>` without lines).

use crate::compile::{self, DebugInfo, Target};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// How many compiled sources' debug info the process keeps.
pub const REMEMBERED: usize = 256;

/// The answer to the last `Compile` at offset 0: the image, or the
/// `SyntaxError` text.
#[derive(Debug, Default)]
pub struct Answers {
    last: Vec<u8>,
}

impl Answers {
    /// Bytes `offset..` of the answer to compiling `source` (at offset 0;
    /// past it, of the answer kept), at most `max` of them.
    pub fn answer(
        &mut self,
        eval: bool,
        offset: u32,
        source: &str,
        target: &Target,
        max: usize,
    ) -> &[u8] {
        if offset == 0 {
            self.last = match compile::compile_dynamic(source, eval, target) {
                Ok(c) => {
                    let image = c.image.clone();
                    remember(c.hash, c.debug);
                    image
                }
                Err(text) => text.into_bytes(),
            };
        }
        let start = (offset as usize).min(self.last.len());
        let end = start.saturating_add(max).min(self.last.len());
        &self.last[start..end]
    }
}

fn registry() -> &'static Mutex<HashMap<u32, &'static DebugInfo>> {
    static R: OnceLock<Mutex<HashMap<u32, &'static DebugInfo>>> = OnceLock::new();
    R.get_or_init(Mutex::default)
}

/// Keeps `debug` for tracebacks through image `hash`.
fn remember(hash: u32, debug: DebugInfo) {
    let mut r = registry().lock().unwrap_or_else(|e| e.into_inner());
    if r.len() < REMEMBERED && !r.contains_key(&hash) {
        // Leaked on purpose: at most REMEMBERED of them, for the process.
        r.insert(hash, Box::leak(Box::new(debug)));
    }
}

/// The debug info of code compiled for `eval`/`exec` with hash `hash`.
pub fn debug(hash: u32) -> Option<&'static DebugInfo> {
    let r = registry().lock().unwrap_or_else(|e| e.into_inner());
    r.get(&hash).copied()
}
