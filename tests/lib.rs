//! End-to-end test support: programs through the simulator (in process,
//! through the host library) and through the real binaries.
//!
//! Integration tests of this package cannot use `CARGO_BIN_EXE_*` for the
//! binaries of other packages (`p14p`, `p14p-device`), so [`bin`] builds
//! them once per test process with the same cargo and profile that built
//! the tests (`$CARGO build -p p14p -p p14p-port-posix --bins`), into the
//! same target directory, and returns their paths.

#[path = "support/tmux.rs"]
pub mod tmux;

use p14p::compile;
use p14p::program::{offline_target, target_for};
use p14p::session::{Outcome, Session};
use p14p::trace::{self, Sources};
use p14p::transport::{OpenOptions, Port};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The directory holding this profile's binaries (`target/debug`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    // target/<profile>/deps/<test>-<hash>
    exe.parent()
        .and_then(Path::parent)
        .expect("tests run from target/<profile>/deps")
        .to_path_buf()
}

/// The path of binary `name` (`p14p` or `p14p-device`), built on first use.
pub fn bin(name: &str) -> PathBuf {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let dir = profile_dir();
    let built = BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args([
            "build",
            "--quiet",
            "-p",
            "p14p",
            "-p",
            "p14p-port-posix",
            "--bins",
        ]);
        if dir.file_name().is_some_and(|p| p == "release") {
            cmd.arg("--release");
        }
        match cmd.status() {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("building the binaries failed: {s}")),
            Err(e) => Err(format!("cannot run cargo: {e}")),
        }
    });
    if let Err(e) = built {
        panic!("{e}");
    }
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} was not built", path.display());
    path
}

/// What a program did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// Its stdout.
    pub stdout: String,
    /// The rendered traceback of an uncaught exception, if any.
    pub traceback: Option<String>,
}

/// A runtime for driving sessions from synchronous tests.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// What `p14p compile` compiles for: the simulator's own manifest
/// ([`offline_target`]). Not for use inside a runtime.
pub fn sim_target() -> compile::Target {
    runtime()
        .block_on(offline_target())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Opens `port` (the in-process simulator for [`Port::Sim`]).
pub async fn open(port: &Port) -> Session {
    Session::open(port, &OpenOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Resets the device, then compiles and runs `source` as `filename`.
/// Compile errors panic with the rendered diagnostics.
pub async fn run_on(session: &Session, source: &str, filename: &str) -> Ran {
    session.reset().await.expect("reset");
    let target = target_for(session.info(), false);
    let compiled = compile::compile(source, filename, &target).unwrap_or_else(|diags| {
        let text: Vec<String> = diags.iter().map(|d| d.render(filename, source)).collect();
        panic!("{filename} does not compile:\n{}", text.join("\n"))
    });
    // The carried library modules it imports, as `p14p run` stores them.
    let library = p14p::modules::library_needed(&compiled, &target);
    p14p::program::store_library(session, &library)
        .await
        .expect("library");
    let hash = session.load(&compiled.image, None).await.expect("load");
    let mut sources = Sources::new();
    sources.insert(hash, compiled.debug);
    let mut out = Vec::new();
    let outcome = session
        .run(hash, |b| out.extend_from_slice(b))
        .await
        .expect("run");
    Ran {
        stdout: String::from_utf8_lossy(&out).into_owned(),
        traceback: match outcome {
            Outcome::Done => None,
            Outcome::Raised(e) => Some(trace::render(&e, &sources)),
        },
    }
}

/// Runs `source` on a fresh simulated device.
pub fn run_sim(source: &str, filename: &str) -> Ran {
    runtime().block_on(async {
        let session = open(&Port::Sim).await;
        run_on(&session, source, filename).await
    })
}

/// A writable 32-bit register of the simulated device's memory map (the
/// posix port's GPIO `DATA` register), for peek/poke tests.
pub const SIM_GPIO_OUT: u32 = p14p_port_posix::memmap::GPIO;

/// A read-only register of the simulated device with a known value.
pub const SIM_DEVICE_ID: (u32, u32) = (
    p14p_port_posix::memmap::SYSID,
    p14p_port_posix::memmap::DEVICE_ID,
);

/// An address the simulated device does not map.
pub const UNMAPPED: u32 = 0xFFFF_FFF0;

/// Starts the real `p14p-device --pty --store FILE` (flash kept in `store`)
/// and returns the child and the pty path it printed. Its later stdout is
/// drained so it never blocks on a full pipe.
pub fn pty_device_with_store(store: &Path) -> (std::process::Child, String) {
    pty_device_with_store_args(store, &[])
}

/// As [`pty_device_with_store`], with more `p14p-device` arguments (heap
/// size, flash geometry).
pub fn pty_device_with_store_args(store: &Path, args: &[&str]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = Command::new(bin("p14p-device"))
        .args(["--pty", "--store"])
        .arg(store)
        .args(args)
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .expect("p14p-device starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let path = lines
        .next()
        .expect("the pty path")
        .expect("readable stdout");
    std::thread::spawn(move || for _ in lines {});
    (child, path)
}

/// Runs the `p14p` binary with `args`, the simulator's flash kept in
/// `store` (`P14P_STORE`) and no `P14P_PORT` from the environment.
pub fn p14p_with_store(args: &[&str], store: &Path) -> std::process::Output {
    Command::new(bin("p14p"))
        .args(args)
        .env("P14P_STORE", store)
        .env_remove("P14P_PORT")
        .output()
        .expect("p14p runs")
}

/// Runs `cmd` with `stdin` as its whole standard input (then closed) and
/// its stdout and stderr captured: a REPL or `-` fed as a user's pipe.
pub fn output_with_stdin(cmd: &mut Command, stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let mut pipe = child.stdin.take().expect("piped stdin");
    pipe.write_all(stdin).expect("stdin written");
    drop(pipe);
    child.wait_with_output().expect("the command ends")
}

/// A `p14p-device --tcp` on a free loopback port with a volatile store,
/// and the address it listens on (`HOST:PORT`, from its first line).
pub fn tcp_device() -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut device = Command::new(bin("p14p-device"))
        .args(["--tcp", "127.0.0.1:0", "--volatile-store"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("p14p-device --tcp");
    let mut lines = BufReader::new(device.stderr.take().expect("piped stderr")).lines();
    let addr = lines
        .find_map(|l| {
            l.ok()?
                .strip_prefix("p14p-device: listening on ")
                .map(str::to_string)
        })
        .expect("p14p-device says where it listens");
    (device, addr)
}

/// The stdout of a `p14p` run that must have succeeded (else the test
/// fails showing its stdout and stderr).
pub fn stdout_of_success(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "p14p failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh, empty directory `p14p-PREFIX-PID-NAME` in the temp directory.
pub fn scratch_dir(prefix: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("p14p-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Which version of what a power-cut test writes the store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The version before the write.
    Old,
    /// The version the write stores.
    New,
}

/// What [`power_cuts`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutReport {
    /// Flash steps (erases and programs) the whole write took.
    pub steps: u64,
    /// Cuts after which the store held the old version.
    pub old: u32,
    /// Cuts after which it held the new one (a cut after the commit,
    /// before the write's last step).
    pub new_after_cut: u32,
    /// Writes whose budget outlasted them: the device was killed after
    /// the write's last step (a cut after the write), and each left the
    /// new version.
    pub uncut: u32,
}

/// Cuts the power of a device in the middle of a write, at points chosen
/// from the store's own write steps rather than the wall clock (which
/// picks different points on a loaded machine, or none at all).
///
/// Each try starts from a copy of `base` (the flash file holding the old
/// version) at `store`, runs `write(pty)` (a `p14p` command that stores
/// the new version) against `p14p-device --pty --store STORE ARGS
/// --power-cut-after K`, and then, on a fresh device over the same file,
/// `read(pty)` says which version the store holds (it panics on anything
/// else). K runs 0, 1, 2, … growing by about a third each time until the
/// write outlasts the budget; a bisection then finds the exact number of
/// steps the write takes, so the last step before the end is cut too.
pub fn power_cuts(
    base: &Path,
    store: &Path,
    device_args: &[&str],
    write: impl Fn(&str) -> std::process::Output,
    read: impl Fn(&str) -> Found,
) -> CutReport {
    let mut report = CutReport {
        steps: 0,
        old: 0,
        new_after_cut: 0,
        uncut: 0,
    };
    // Whether the write with a budget of `k` steps was cut short.
    let mut attempt = |k: u64| -> bool {
        std::fs::copy(base, store).expect("a fresh copy of the old store");
        let budget = k.to_string();
        let mut args = device_args.to_vec();
        args.extend(["--power-cut-after", &budget]);
        let (mut dev, pty) = pty_device_with_store_args(store, &args);
        let out = write(&pty);
        let cut = match dev.try_wait().expect("the device's status") {
            Some(status) => {
                assert_eq!(
                    status.code(),
                    Some(p14p_port_posix::flash::POWER_CUT_STATUS),
                    "the device ended, but not by the power cut at {k} steps"
                );
                true
            }
            None if out.status.success() => {
                let _ = dev.kill();
                let _ = dev.wait();
                false
            }
            None => {
                // The write failed: the device must be on its way out.
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
                let status = loop {
                    if let Some(status) = dev.try_wait().expect("the device's status") {
                        break Some(status);
                    }
                    if std::time::Instant::now() > deadline {
                        let _ = dev.kill();
                        let _ = dev.wait();
                        break None;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(10));
                };
                assert_eq!(
                    status.and_then(|s| s.code()),
                    Some(p14p_port_posix::flash::POWER_CUT_STATUS),
                    "the write failed without a power cut at {k} steps: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                true
            }
        };
        let (mut dev, pty) = pty_device_with_store_args(store, device_args);
        let found = read(&pty);
        let _ = dev.kill();
        let _ = dev.wait();
        match (cut, found) {
            (true, Found::Old) => report.old += 1,
            (true, Found::New) => report.new_after_cut += 1,
            (false, Found::New) => report.uncut += 1,
            (false, Found::Old) => {
                panic!("a write the power outlasted ({k} steps) left the old version")
            }
        }
        cut
    };
    let mut last_cut = 0;
    let mut k = 0;
    while attempt(k) {
        last_cut = k;
        k += (k / 3).max(1);
        assert!(k < 1_000_000, "the write never ends");
    }
    // The write takes more than `last_cut` steps and at most `k`.
    let (mut lo, mut hi) = (last_cut, k);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if attempt(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    report.steps = hi;
    report
}
