//! The `p14p` command line: argument parsing and dispatch.
//!
//! Exit status: 0 on success; 1 when the program failed (compile errors, an
//! uncaught exception); 2 when p14p itself could not do its job (no device,
//! unreadable file, bad arguments).

pub mod attach;
pub mod chain;
pub mod connection;
pub mod deploy;
pub mod devices;
pub mod exec;
pub mod files;
pub mod flash;
pub mod mem;
pub mod oneshot;
pub mod probe;
pub mod run;
pub mod sync;
pub mod test;
pub mod watch;

use crate::transport::{OpenOptions, Port};
use clap::{Parser, Subcommand, ValueEnum};
use connection::Connection;
use p14p_protocol::msg::Width;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  p14p repl                         REPL on the built-in simulated device
  p14p run examples/hello.py        compile, send and run a file
  p14p run app.py -p /dev/ttyACM0   ... on a board over USB serial
  p14p run app.py -p tcp:localhost:4444
  p14p run app.py -p rfc2217://farm:4001   ... on a board a farm exports (RFC 2217)
  p14p exec 'print(1 + 1)'          run a string (`-`: stdin) as `run` runs a file
  p14p eval '2 ** 10'               print an expression's value (1024)
  p14p exec --no-reset 'x = 5' -p /dev/ttyACM0; p14p eval --no-reset x -p /dev/ttyACM0
                                    keep the device's state between commands
  p14p repl -p qemu                 the LM3S6965 firmware in QEMU, started for you
  p14p repl -p qemu:microbit        the micro:bit firmware in QEMU
  p14p flash [FILE]                 copy the firmware to a MICROBIT (.hex) or RPI-RP2 (.uf2) drive
  p14p peek 0x40000000 2            read two 32-bit words
  p14p poke 0x40001000 1 --width 8  write one byte
  p14p watch GPIO.DATA --svd ports/posix/svd/p14p-sim.svd --run examples/blink.py
  p14p test tests/hil --junit report.xml
  p14p inspect                      the heap, live
  p14p ui --dir app/                REPL, heap, files and device in one screen
  p14p push app.py --main + attach  commands in order on one connection, `+` between them
  p14p exec 'x = 5' + eval --no-reset x    ... so the second sees the first's x (5)
  p14p run app.py + repl            a REPL on the globals app.py left
  p14p -p pico repl                 a port alias from p14p.toml or ~/.config/p14p/config.toml
                                    ([ports] pico = \"/dev/ttyACM0\")
  p14p sync --watch app/            push each saved file, restart main, show its output
  p14p attach /dev/ttyACM0          watch a running board's main without resetting it
  p14p dis app.py                   show the bytecode

PORT is a serial device path, tcp:HOST:PORT, rfc2217://HOST:PORT, `sim` (the
default), or `qemu[:FIRMWARE.elf]`: qemu-system-arm started with the LM3S6965 firmware
(default: the one `scripts/firmware.sh build` makes), UART0 on its stdio;
`qemu:microbit[:FIRMWARE.elf]` the same for the micro:bit.";

/// p14p: Python on a chip, driven from the host.
#[derive(Debug, Parser)]
#[command(name = "p14p", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Device to talk to: a serial path (/dev/ttyUSB0, /dev/pts/3),
    /// tcp:HOST:PORT, rfc2217://HOST:PORT (a serial port exported with
    /// RFC 2217), `sim` for the built-in simulated device, or
    /// `qemu[:FIRMWARE.elf]` to start the LM3S6965 firmware in QEMU
    /// (`qemu:microbit[:FIRMWARE.elf]`: the micro:bit's).
    /// `p14p test` takes it several times (one device each); other
    /// commands use the last.
    #[arg(short, long, global = true, env = "P14P_PORT", default_value = "sim",
          action = clap::ArgAction::Append)]
    pub port: Vec<String>,
    /// Serial baud rate (8N1; DTR/RTS are never toggled).
    #[arg(long, global = true, default_value_t = crate::transport::serial::DEFAULT_BAUD)]
    pub baud: u32,
    /// Heap size of the simulated device, in bytes.
    #[arg(
        long,
        global = true,
        default_value_t = p14p_port_posix::sim::SimConfig::default().heap_bytes,
        value_name = "BYTES"
    )]
    pub heap: usize,
    /// The simulated device's flash file (default:
    /// $XDG_STATE_HOME/p14p/sim-flash.bin; RAM if another device holds it).
    /// An empty value (`P14P_STORE=`) means the default.
    #[arg(long, global = true, env = "P14P_STORE", value_name = "FILE",
          value_parser = path_or_unset)]
    pub store: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reset the device, compile FILE, send it and run it.
    ///
    /// Program output goes to stdout. An uncaught exception prints a
    /// traceback on stderr and exits with status 1; so do compile errors.
    /// Ctrl-C interrupts the program (KeyboardInterrupt on the device).
    Run {
        /// The Python file.
        file: PathBuf,
        /// Do not reset first: run in the device's current state, where
        /// the globals of earlier runs without reset (`exec --no-reset`)
        /// and of a stored main are visible. (The built-in simulator
        /// starts afresh with each p14p process: there this matters
        /// within a `+` chain, `p14p exec 'x = 5' + run --no-reset f.py`.)
        #[arg(long)]
        no_reset: bool,
    },
    /// Reset the device and run CODE, a Python program given as a string
    /// (`-`: read from stdin), as `run` runs a file.
    ///
    /// p14p exec 'import machine; print(machine.unique_id())'.
    /// Output, tracebacks and the exit status are as for `run`.
    Exec {
        /// The program's text, or `-` for stdin.
        #[arg(allow_hyphen_values = true)]
        code: String,
        /// Do not reset first: run in the device's current state (see
        /// `run --no-reset`); the names CODE defines stay for the next
        /// command run with --no-reset.
        #[arg(long)]
        no_reset: bool,
    },
    /// Reset the device, evaluate the Python expression EXPR (`-`: read
    /// from stdin) and print its value's repr.
    ///
    /// p14p eval '2 ** 10' prints 1024; p14p eval "'a' * 2" prints 'aa'.
    /// A statement is refused (run it with `exec`).
    Eval {
        /// The expression, or `-` for stdin.
        #[arg(allow_hyphen_values = true)]
        expr: String,
        /// Do not reset first: evaluate in the device's current state (see
        /// `run --no-reset`), e.g. a name an earlier `exec --no-reset`
        /// defined.
        #[arg(long)]
        no_reset: bool,
    },
    /// Interactive Python on the device.
    ///
    /// It starts on a fresh `__main__` (the device is reset), except after
    /// other commands of a `+` chain: `p14p run app.py + repl` keeps the
    /// globals app.py left. Names persist between inputs; expression values are echoed. Ctrl-C
    /// interrupts a running input, Ctrl-D exits. Tab completes keywords,
    /// builtins, your names, modules after `import` and attributes after
    /// `name.` (a live object's are asked of the device). A block's lines
    /// are auto-indented; Backspace in the indentation removes one level.
    /// Ctrl-E starts paste mode: lines are taken as written (blank lines
    /// too), Ctrl-D runs them as one program, Ctrl-C cancels. help() shows
    /// the keys, help(X) describes X, dir() lists your names.
    ///
    /// With piped (non-terminal) stdin, inputs are read line by line
    /// without prompts; a line holding only \x05 starts paste mode, one
    /// holding only \x04 runs the paste (\x03 drops it).
    Repl {
        /// Device to talk to (overrides --port). Its own name, not `port`:
        /// a positional called `port` would shadow the global `--port`.
        #[arg(value_name = "PORT")]
        device: Option<String>,
    },
    /// Join a running device without resetting it: show what its main
    /// prints (a running main, or the stored main of a device that just
    /// started), until Ctrl-C.
    ///
    /// Nothing is sent until Ctrl-C, so connecting does not stop main.
    /// Ctrl-C interrupts main and opens the REPL on the same connection,
    /// without a reset (main's globals stay), as mpremote's `repl` does;
    /// Ctrl-D then exits. After other commands of a `+` chain (which
    /// stopped whatever ran) it starts the stored main afresh, as a boot
    /// would: `p14p push app.py --main + attach`.
    Attach {
        /// Device to talk to (overrides --port).
        #[arg(value_name = "PORT")]
        device: Option<String>,
    },
    /// Compile FILE to an image without a device: for the built-in
    /// simulator, accepting exactly what `run` on it accepts.
    Compile {
        /// The Python file.
        file: PathBuf,
        /// Where to write the image (default: FILE with extension .p14i).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Also print where the image's bytes go (header, names,
        /// constants, code records, code, handlers).
        #[arg(long)]
        size: bool,
    },
    /// Compile the frozen library (lib/*.py) into the blob every firmware
    /// includes (device/frozen/library.bin; see `p14p::library`).
    Freeze {
        /// Where to write the blob (default: the repository's
        /// device/frozen/library.bin).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Show the bytecode the compiler makes of FILE.
    Dis {
        /// The Python file.
        file: PathBuf,
    },
    /// Read from the device's memory map.
    ///
    /// ADDR is a number (decimal or 0x hex) or, with --svd, a register name
    /// such as GPIO.DATA (its fields are decoded).
    Peek {
        /// Address or register name, aligned to the width.
        addr: String,
        /// Number of items (the same as --count).
        #[arg(value_parser = mem::parse_number, conflicts_with = "count")]
        len: Option<u32>,
        /// Number of items.
        #[arg(short, long, value_parser = mem::parse_number)]
        count: Option<u32>,
        /// Item width in bits.
        #[arg(short, long, value_enum, default_value = "32")]
        width: WidthArg,
        /// CMSIS-SVD file naming the registers.
        #[arg(long, env = "P14P_SVD", value_parser = path_or_unset)]
        svd: Option<PathBuf>,
    },
    /// Write one item to the device's memory map.
    Poke {
        /// Address or register name, aligned to the width.
        addr: String,
        /// Value (decimal or 0x hex; truncated to the width).
        #[arg(value_parser = mem::parse_number, allow_hyphen_values = true)]
        value: u32,
        /// Item width in bits.
        #[arg(short, long, value_enum, default_value = "32")]
        width: WidthArg,
        /// CMSIS-SVD file naming the registers.
        #[arg(long, env = "P14P_SVD", value_parser = path_or_unset)]
        svd: Option<PathBuf>,
    },
    /// Compile and store files on the device (atomically, power-safe).
    Push {
        /// Files: .py are compiled to images, others stored as data.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Make the first file the program that runs at boot.
        #[arg(long)]
        main: bool,
        /// Load .py files into RAM as importable modules, without storing.
        #[arg(long, conflicts_with = "main")]
        ram: bool,
    },
    /// Make the device's store match DIR, sending only what changed.
    Sync {
        /// The folder: its files and subfolders (`lib/util.py` is stored
        /// under that name and imports as `lib.util`).
        dir: PathBuf,
        /// Only say what would be done.
        #[arg(long)]
        dry_run: bool,
        /// Remove device files that DIR does not have.
        #[arg(long)]
        delete: bool,
        /// Keep watching DIR: send each file when it is saved and restart
        /// the stored main (if one is set), showing its output. Ctrl-C stops.
        #[arg(long, conflicts_with = "dry_run")]
        watch: bool,
    },
    /// List the device's stored files as a tree of folders (size, kind,
    /// CRC-32, name).
    Ls,
    /// Print a stored file. A `.py` is stored compiled: its source is the
    /// local file that compiles to the very same image (searched under
    /// --source, default the current folder); image bytes are never shown.
    Cat {
        /// File name (`lib/util.py` for one in a folder).
        name: String,
        /// Where to look for a `.py`'s source (the folder it was synced
        /// or pushed from, or one above it).
        #[arg(long, value_name = "DIR")]
        source: Option<PathBuf>,
    },
    /// Remove stored files (`-r`: folders with everything in them).
    Rm {
        /// File or folder names.
        #[arg(required = true)]
        names: Vec<String>,
        /// Remove folders and their contents.
        #[arg(short, long)]
        recursive: bool,
    },
    /// Make empty folders in the store (a marker each: the store is flat,
    /// a folder is a name prefix such as `lib/`).
    Mkdir {
        /// Folder names.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Copy a file between the host and the device: `:NAME` is on the
    /// device (`p14p cp app.py :lib/app.py`, `p14p cp :data.txt .`). A
    /// `.py` goes to the device compiled; a stored image comes back only
    /// to a `.p14i` file.
    Cp {
        /// Source (`:NAME` on the device).
        src: String,
        /// Destination (`:NAME` or `:FOLDER/` on the device).
        dst: String,
    },
    /// Print the SHA-256 of stored files (their stored bytes: a `.py`'s
    /// compiled image).
    Sha256sum {
        /// File names.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Show the store's size and free space.
    Df,
    /// Print a line whenever one of the registers changes.
    ///
    /// Each line: seconds since the start, the register, old → new, and
    /// with --svd the decoded fields. With --run FILE the program runs on
    /// the same connection while being watched, and the watch ends with it.
    Watch {
        /// Addresses or register names.
        #[arg(required = true)]
        addrs: Vec<String>,
        /// Sampling period in milliseconds.
        #[arg(short, long, default_value_t = 100)]
        interval: u64,
        /// Item width in bits.
        #[arg(short, long, value_enum, default_value = "32")]
        width: WidthArg,
        /// Stop after this many changes.
        #[arg(long)]
        changes: Option<u64>,
        /// Run this program while watching.
        #[arg(long, value_name = "FILE")]
        run: Option<PathBuf>,
        /// CMSIS-SVD file naming the registers.
        #[arg(long, env = "P14P_SVD", value_parser = path_or_unset)]
        svd: Option<PathBuf>,
    },
    /// Run test programs on one or more devices (hardware in the loop).
    ///
    /// Each FILE.py runs on a freshly reset device. It passes when it ends
    /// without an uncaught exception and, if FILE.exp exists, its output
    /// equals that file. Directories are searched for *.py. With several
    /// --port options the tests are spread over the devices, one test at a
    /// time per device. Prints `N passed, N failed`; exits 1 on a failure.
    Test(test::TestArgs),
    /// A live view of the device's heap (a terminal UI).
    Inspect(crate::inspect::InspectArgs),
    /// The workbench: REPL, heap, files (local folder against the store)
    /// and device figures in one terminal UI. The REPL pane edits as
    /// `p14p repl` does (Tab completes, Ctrl-E paste mode, a program's
    /// input() reads the pane). Shift-Tab moves between panes (Tab too,
    /// outside the REPL or at its empty line); each pane's keys are shown
    /// at the bottom. Does not reset the device.
    Ui(crate::ui::UiArgs),
    /// List serial ports, marking likely boards.
    Devices,
    /// Copy the firmware to a board's drive: a .uf2 to a Pico's RPI-RP2,
    /// a .hex to a micro:bit's MICROBIT.
    ///
    /// FILE defaults to the one `scripts/firmware.sh build --board microbit`
    /// (or `--board pico`, when only an RPI-RP2 drive is mounted) makes; the
    /// drive is found mounted (or named with --drive). Says what to do when
    /// none is mounted.
    Flash {
        /// The firmware: .hex (micro:bit) or .uf2 (Pico).
        hex: Option<std::path::PathBuf>,
        /// The drive's mount point (MICROBIT or RPI-RP2).
        #[arg(long)]
        drive: Option<std::path::PathBuf>,
    },
    /// Measure REPL latency (simulator and pty) and run time against python3.
    Bench(crate::bench::BenchArgs),
}

/// Access width on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WidthArg {
    /// 8 bits.
    #[value(name = "8")]
    W8,
    /// 16 bits.
    #[value(name = "16")]
    W16,
    /// 32 bits.
    #[value(name = "32")]
    W32,
}

impl From<WidthArg> for Width {
    fn from(w: WidthArg) -> Width {
        match w {
            WidthArg::W8 => Width::U8,
            WidthArg::W16 => Width::U16,
            WidthArg::W32 => Width::U32,
        }
    }
}

/// A path argument that may be empty: `P14P_STORE=` or `P14P_SVD=` in the
/// environment reads as "not set" (see [`given`]), as an empty variable
/// does for most tools, instead of clap's "a value is required".
fn path_or_unset(s: &str) -> Result<PathBuf, std::convert::Infallible> {
    Ok(PathBuf::from(s))
}

/// `path` unless it is empty (an empty environment variable).
fn given(path: Option<PathBuf>) -> Option<PathBuf> {
    path.filter(|p| !p.as_os_str().is_empty())
}

/// A failure of p14p itself (exit status 2), as one message.
pub type Failure = Box<dyn std::error::Error>;

/// Parses the command line and runs the command (or the commands of a
/// `+` chain, in order, until one fails: [`chain`]).
pub fn main() -> ExitCode {
    // A panic must not leave an emulator running either (see
    // `transport::qemu`): stop them, then report as usual.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        crate::transport::qemu::stop_all();
        // `p14p ls | head -1`: std's `println!` panics once the reader has
        // gone. Like `head` itself (and ripgrep), stop quietly: the output
        // was not wanted any more, which is no failure.
        if is_closed_stdout(info) {
            std::process::exit(0);
        }
        report(info);
    }));
    let lines = chain::split(std::env::args_os().collect());
    let clis: Vec<Cli> = lines.into_iter().map(Cli::parse_from).collect();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&e.into()),
    };
    let code = rt.block_on(async {
        // One connection per port for the whole chain, opened by the
        // first command that needs the device and lent to the others.
        let mut connections: Vec<Connection> = Vec::new();
        for cli in clis {
            let code = run_one(cli, &mut connections).await;
            if code != ExitCode::SUCCESS {
                return code;
            }
        }
        ExitCode::SUCCESS
    });
    // Do not wait for blocked reader threads (a serial port, stdin). The
    // tasks that may own an emulator's stream are dropped in the
    // background, maybe after this process ended: stop the emulators here.
    crate::transport::qemu::stop_all();
    rt.shutdown_background();
    code
}

/// A PORT argument, a configured alias resolved ([`crate::config`]).
fn port_of(name: &str) -> Port {
    Port::parse(&crate::config::port_alias(name))
}

/// Whether a panic is std's print macros failing on a reader that hung up.
fn is_closed_stdout(info: &std::panic::PanicHookInfo<'_>) -> bool {
    let message = info
        .payload()
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| info.payload().downcast_ref::<&str>().copied());
    message.is_some_and(|m| m.starts_with("failed printing to stdout") && m.contains("Broken pipe"))
}

/// The port `cli`'s command talks to: its own PORT argument (`repl`,
/// `attach`, `ui`, `inspect`), else the last `--port`.
fn command_port(cli: &Cli) -> Port {
    let own = match &cli.command {
        Command::Repl { device } | Command::Attach { device } => device.as_deref(),
        Command::Ui(args) => args.device.as_deref(),
        Command::Inspect(args) => args.device.as_deref(),
        _ => None,
    };
    port_of(own.or(cli.port.last().map(String::as_str)).unwrap_or("sim"))
}

/// Runs one command (of a chain) on the connection among `connections`
/// that serves its port and options, made if there is none yet.
async fn run_one(mut cli: Cli, connections: &mut Vec<Connection>) -> ExitCode {
    cli.store = given(cli.store.take());
    let open = OpenOptions {
        baud: cli.baud,
        heap_bytes: cli.heap,
        store: Some(
            cli.store
                .clone()
                .unwrap_or_else(|| p14p_port_posix::flash::default_path("sim-flash.bin")),
        ),
    };
    let port = command_port(&cli);
    let at = match connections.iter().position(|c| c.serves(&port, &open)) {
        Some(at) => at,
        None => {
            connections.push(Connection::new(port, open));
            connections.len() - 1
        }
    };
    let conn = &connections[at];
    let result: Result<ExitCode, Failure> = async {
        match cli.command {
            Command::Run { file, no_reset } => run::run_file(&file, no_reset, conn).await,
            Command::Exec { code, no_reset } => oneshot::exec(&code, no_reset, conn).await,
            Command::Eval { expr, no_reset } => oneshot::eval(&expr, no_reset, conn).await,
            Command::Repl { .. } => crate::repl::main(conn).await,
            Command::Attach { .. } => attach::attach(conn).await,
            Command::Compile { file, output, size } => {
                run::compile_file(&file, output.as_deref(), size).await
            }
            Command::Freeze { output } => run::freeze(output.as_deref()),
            Command::Dis { file } => run::dis_file(&file).await,
            Command::Peek {
                addr,
                len,
                count,
                width,
                svd,
            } => {
                let n = count.or(len).unwrap_or(1);
                let opts = probe::ProbeOptions { svd: given(svd) };
                probe::peek(conn, &addr, n, width.into(), &opts).await
            }
            Command::Poke {
                addr,
                value,
                width,
                svd,
            } => {
                let opts = probe::ProbeOptions { svd: given(svd) };
                probe::poke(conn, &addr, value, width.into(), &opts).await
            }
            Command::Watch {
                addrs,
                interval,
                width,
                changes,
                run,
                svd,
            } => {
                let args = probe::WatchArgs {
                    addrs,
                    interval: std::time::Duration::from_millis(interval.max(1)),
                    width: width.into(),
                    changes,
                    run,
                };
                let opts = probe::ProbeOptions { svd: given(svd) };
                probe::watch(conn, &args, &opts).await
            }
            Command::Test(args) => test::main(&args, &cli.port, conn).await,
            Command::Ui(args) => crate::ui::main(conn, &args).await,
            Command::Inspect(args) => crate::inspect::main(conn, &args).await,
            Command::Push { files, main, ram } => deploy::push(&files, main, ram, conn).await,
            Command::Sync {
                dir,
                delete,
                watch: true,
                ..
            } => watch::watch(&dir, delete, conn).await,
            Command::Sync {
                dir,
                dry_run,
                delete,
                watch: false,
            } => sync::sync(&dir, dry_run, delete, conn).await,
            Command::Ls => files::ls(conn).await,
            Command::Cat { name, source } => files::cat(&name, source.as_deref(), conn).await,
            Command::Rm { names, recursive } => files::rm(&names, recursive, conn).await,
            Command::Mkdir { names } => files::mkdir(&names, conn).await,
            Command::Cp { src, dst } => files::cp(&src, &dst, conn).await,
            Command::Sha256sum { names } => files::sha256sum(&names, conn).await,
            Command::Df => deploy::df(conn).await,
            Command::Devices => devices::list()
                .map(|()| ExitCode::SUCCESS)
                .map_err(Into::into),
            Command::Flash { hex, drive } => flash::flash(hex.as_deref(), drive.as_deref())
                .map(|()| ExitCode::SUCCESS)
                .map_err(Into::into),
            Command::Bench(args) => crate::bench::main(&args, conn.options()).await,
        }
    }
    .await;
    result.unwrap_or_else(|e| fail(&e))
}

fn fail(e: &Failure) -> ExitCode {
    eprintln!("p14p: error: {e}");
    ExitCode::from(2)
}
