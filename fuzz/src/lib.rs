//! A fuzz harness for everything the p14p device takes from outside: frames
//! off the UART, requests, images, the verifier, and running what the
//! verifier accepts. It runs on stable Rust and needs no coverage
//! instrumentation: inputs are mutants of *valid* inputs (images the host's
//! compiler made from the conformance programs, the examples and a few
//! snippets; encoded requests), so they reach the deep checks rather than
//! dying at the first magic number or checksum.
//!
//! | module       | what |
//! |--------------|------|
//! | [`rng`]      | the deterministic PRNG every input is drawn from |
//! | [`seeds`]    | the seed corpus: compiled images and encoded requests |
//! | [`mutate`]   | byte flips, splices, opcode and operand swaps; re-fixing the hash |
//! | [`targets`]  | one module per target: how an input is made and what it is fed to |
//! | [`driver`]   | the campaign loop: panics caught, hangs detected, crashes saved |
//!
//! Each input is made from its own seed (`campaign seed`, `input number`),
//! so a campaign is reproducible, and a saved crash replays on its own
//! (`p14p-fuzz --replay <target> <file>`).

pub mod driver;
pub mod mutate;
pub mod rng;
pub mod seeds;
pub mod targets;
