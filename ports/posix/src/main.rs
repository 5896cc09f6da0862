//! `p14p-device`: the p14p device as a desktop program.
//!
//! Serves the p14p protocol on stdin/stdout (the default), on a raw
//! pseudo-terminal (`--pty`, prints the slave path), or on TCP (`--tcp
//! ADDR`). TCP is a serial line (`p14p_port_posix::line`): every connection
//! talks to the same running device, the newest taking the line from the
//! last, so a program left running by a host that went away is still there
//! for the next host to stop. `Boot` is sent once, when the device starts.

use clap::Parser;
use p14p_port_posix::flash::{self, FileFlash};
use p14p_port_posix::line::Line;
use p14p_port_posix::machine::new_machine_in_place;
use p14p_port_posix::platform::PosixPlatform;
use p14p_port_posix::serve::serve;
use p14p_port_posix::{memmap, pty};
use std::io::{self, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// The p14p device, simulated on this computer.
#[derive(Debug, Parser)]
#[command(name = "p14p-device", version, after_help = memmap::HELP)]
struct Args {
    /// Serve on a new pseudo-terminal in raw mode; prints its path (e.g.
    /// /dev/pts/5) on stdout, then serves until killed.
    #[arg(long, conflicts_with = "tcp")]
    pty: bool,
    /// Serve on TCP at ADDR (e.g. 127.0.0.1:7414) as on a serial line: each
    /// new connection reaches the same running device (the newest wins).
    #[arg(long, value_name = "ADDR")]
    tcp: Option<String>,
    /// VM heap size in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024)]
    heap: usize,
    /// The file that stands for the store's flash chip (created erased if
    /// missing). Default: $XDG_STATE_HOME/p14p/device-flash.bin.
    #[arg(long, value_name = "FILE")]
    store: Option<std::path::PathBuf>,
    /// Store flash page size in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = flash::PAGE_SIZE)]
    page_size: u32,
    /// Store flash page count.
    #[arg(long, value_name = "N", default_value_t = flash::PAGES)]
    pages: u32,
    /// Keep the store in RAM only (lost at exit).
    #[arg(long, conflicts_with = "store")]
    volatile_store: bool,
    /// Pace the link like a UART at this baud rate (8N1), both directions.
    #[arg(long, value_name = "BAUD")]
    baud: Option<u32>,
    /// Cut the power after this many flash erase/program steps: the next
    /// step is not done and the process exits at once with status 86
    /// (for power-cut tests, which pick the cut by the store's steps).
    #[arg(long, value_name = "STEPS")]
    power_cut_after: Option<u64>,
}

fn main() -> io::Result<()> {
    let args = Args::parse();
    let chip = if args.volatile_store {
        FileFlash::ram(args.page_size, args.pages)
    } else {
        match &args.store {
            Some(path) => FileFlash::open(path, args.page_size, args.pages)?,
            None => {
                let path = flash::default_path("device-flash.bin");
                FileFlash::open(&path, args.page_size, args.pages).unwrap_or_else(|e| {
                    // Another device holds the default chip: run with a RAM
                    // store rather than not at all.
                    eprintln!("p14p-device: {e}; the store is in RAM");
                    FileFlash::ram(args.page_size, args.pages)
                })
            }
        }
    };
    let mut chip = chip;
    if let Some(steps) = args.power_cut_after {
        chip.cut_power_after(steps);
    }
    // The flash view and the arena live for the whole program; the
    // machine borrows them (it executes stored images from the view).
    let view = chip.view();
    let mut arena = vec![0u32; args.heap / 4];
    let mut machine = new_machine_in_place(&mut arena, &view);
    let chip = Arc::new(Mutex::new(chip));
    let baud = args.baud;
    let platform = |r: Box<dyn io::Read + Send>, w: Box<dyn Write + Send>| {
        PosixPlatform::paced(r, w, baud).with_flash(Arc::clone(&chip))
    };
    if args.pty {
        let pty = pty::open_raw()?;
        let mut out = io::stdout();
        writeln!(out, "{}", pty.path.display())?;
        out.flush()?;
        loop {
            let reader = pty.master.try_clone()?;
            let writer = pty.master.try_clone()?;
            machine = serve(platform(Box::new(reader), Box::new(writer)), machine);
        }
    } else if let Some(addr) = args.tcp {
        let listener = TcpListener::bind(&addr)?;
        eprintln!("p14p-device: listening on {}", listener.local_addr()?);
        // One device for every connection, as a board's serial line
        // (see `line`): a program a vanished host left running is still
        // there for the next host to stop.
        let line = Line::serve(listener);
        serve(platform(Box::new(line.clone()), Box::new(line)), machine);
        Ok(())
    } else {
        serve(
            platform(Box::new(io::stdin()), Box::new(io::stdout())),
            machine,
        );
        Ok(())
    }
}
