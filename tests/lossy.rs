//! `p14p run` over a link that loses, corrupts and repeats bytes: the real
//! `p14p` binary talks TCP to a proxy in this test, which faults 1% of
//! the bytes in each direction (then 0.1%; a seeded PRNG: each faulted byte is
//! dropped, has one bit flipped, or is sent twice) on their way to and
//! from `p14p-device` on its stdin/stdout. Every run must either print
//! the program's whole output (as `python3` prints it) and exit 0, or
//! fail with a message and a non-zero exit: never exit 0 with lines
//! missing, never wait without end.

use p14p_fuzz::rng::Rng;
use p14p_tests::bin;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Bytes faulted per million, each direction, and how many runs at that
/// rate.
const PHASES: [(u64, u64); 2] = [(10_000, 20), (1_000, 10)];

/// The most one `p14p run` may take before the test calls it a hang:
/// generous (the host's own timeouts end every wait long before).
const RUN_BOUND: Duration = Duration::from_secs(120);

/// Many numbered lines, each its own output frame.
const PROGRAM: &str = "\
for i in range(40):
    print('line', i, 'of 40:', i * i)
print('done')
";

/// Deterministic faults: the fuzz harness's seeded PRNG, and the bytes
/// faulted per million.
struct Faults(Rng, u64);

impl Faults {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// `bytes` as the faulty link delivers them.
    fn apply(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len() + 8);
        for &b in bytes {
            if self.next() % 1_000_000 >= self.1 {
                out.push(b);
                continue;
            }
            match self.next() % 3 {
                0 => {}
                1 => out.push(b ^ (1 << (self.next() % 8))),
                _ => out.extend([b, b]),
            }
        }
        out
    }
}

/// The device's end of the proxy: whichever client is connected now.
type Client = Arc<Mutex<Option<TcpStream>>>;

/// Starts `p14p-device` on stdio behind a TCP proxy faulting `ppm` bytes
/// per million; returns the device process and the proxy's address.
fn lossy_device(ppm: u64) -> (Child, String) {
    let mut device = Command::new(bin("p14p-device"))
        .arg("--volatile-store")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("p14p-device");
    let stdin = device.stdin.take().expect("its stdin");
    let mut stdout = device.stdout.take().expect("its stdout");
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let addr = listener.local_addr().expect("its address").to_string();
    let client: Client = Arc::default();
    // Device → client, faulted; dropped while no client is connected (as
    // a serial line's bytes are when nobody listens).
    let to_client = Arc::clone(&client);
    std::thread::spawn(move || {
        let mut faults = Faults(Rng::new(0x9E37_79B9_7F4A_7C15), ppm);
        let mut buf = [0u8; 512];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                return;
            }
            let bytes = faults.apply(&buf[..n]);
            if let Some(c) = to_client.lock().unwrap().as_mut() {
                let _ = c.write_all(&bytes);
            }
        }
    });
    let stdin = Arc::new(Mutex::new(stdin));
    std::thread::spawn(move || {
        for (i, conn) in listener.incoming().enumerate() {
            let Ok(conn) = conn else { continue };
            let _ = conn.set_nodelay(true);
            let Ok(reader) = conn.try_clone() else {
                continue;
            };
            *client.lock().unwrap() = Some(conn);
            let stdin = Arc::clone(&stdin);
            std::thread::spawn(move || from_client(reader, &stdin, i as u64, ppm));
        }
    });
    (device, addr)
}

/// Client → device, faulted, until the client hangs up.
fn from_client(mut conn: TcpStream, stdin: &Mutex<ChildStdin>, i: u64, ppm: u64) {
    let seed = 0xD1B5_4A32_D192_ED03 ^ (i + 1).wrapping_mul(0x1000_0001);
    let mut faults = Faults(Rng::new(seed), ppm);
    let mut buf = [0u8; 512];
    while let Ok(n) = conn.read(&mut buf) {
        if n == 0 {
            return;
        }
        let bytes = faults.apply(&buf[..n]);
        let mut stdin = stdin.lock().unwrap();
        if stdin
            .write_all(&bytes)
            .and_then(|()| stdin.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Runs `p14p run file -p port`, killing it past [`RUN_BOUND`].
fn p14p_run(file: &str, port: &str) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = Command::new(bin("p14p"))
        .args(["run", file, "-p", port])
        .env_remove("P14P_PORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running p14p");
    loop {
        if child.try_wait().expect("waiting for p14p").is_some() {
            return (
                child.wait_with_output().expect("its output"),
                start.elapsed(),
            );
        }
        if start.elapsed() > RUN_BOUND {
            let _ = child.kill();
            let out = child.wait_with_output().expect("its output");
            panic!(
                "p14p run waited without end ({RUN_BOUND:?}); stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What CPython prints for `source`.
fn cpython(source: &str) -> String {
    let out = Command::new("python3")
        .args(["-c", source])
        .output()
        .expect("python3 (CPython 3.11) produces the expected output");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn run_over_a_lossy_link_prints_everything_or_fails_clearly() {
    let want = cpython(PROGRAM);
    let dir = std::env::temp_dir().join(format!("p14p-lossy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lines.py");
    std::fs::write(&file, PROGRAM).unwrap();
    for (ppm, runs) in PHASES {
        let (mut device, addr) = lossy_device(ppm);
        let port = format!("tcp:{addr}");
        let (mut whole, mut failed) = (0, Vec::new());
        for run in 0..runs {
            let (out, took) = p14p_run(file.to_str().unwrap(), &port);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                assert_eq!(
                    stdout, want,
                    "run {run} at {ppm} ppm exited 0 with output missing"
                );
                whole += 1;
            } else {
                // A clear error: said on stderr, not a crash.
                let said = stderr.trim();
                assert!(
                    !said.is_empty(),
                    "run {run} failed silently: {:?}",
                    out.status
                );
                assert!(!said.contains("panicked"), "run {run}: {said}");
                assert_eq!(out.status.code(), Some(2), "run {run}: {said}");
                failed.push(format!("{took:.1?}: {}", said.lines().last().unwrap_or("")));
            }
        }
        let _ = device.kill();
        let _ = device.wait();
        eprintln!(
            "{ppm} ppm: {whole} of {runs} runs printed everything; the others failed clearly:"
        );
        for f in &failed {
            eprintln!("  {f}");
        }
    }
}
