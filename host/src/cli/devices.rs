//! `p14p devices`: the serial ports of this machine.

use crate::transport::serial;
use std::io;

/// Prints the serial ports, marking likely boards with `*`.
pub fn list() -> io::Result<()> {
    let ports = serial::list()?;
    if ports.is_empty() {
        println!("no serial ports found (the simulator is always available as `--port sim`)");
        return Ok(());
    }
    for p in &ports {
        let mark = if p.likely_board { '*' } else { ' ' };
        if p.description.is_empty() {
            println!("{mark} {}", p.path);
        } else {
            println!("{mark} {:<24} {}", p.path, p.description);
        }
    }
    if ports.iter().any(|p| p.likely_board) {
        println!("(* = USB serial adapter, likely a board)");
    }
    Ok(())
}
