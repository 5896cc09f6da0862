//! Issue 6 end to end: `p14p test` on the project's HIL examples (pass,
//! fail with traceback and diff, JUnit), `p14p watch` on a register a
//! running program changes, the heap requests during a run, and
//! `p14p inspect` in a real terminal (tmux).

use p14p_tests::bin;
use p14p_tests::tmux::Tmux;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn p14p(args: &[&str]) -> Output {
    Command::new(bin("p14p"))
        .current_dir(root())
        .args(args)
        .env_remove("P14P_PORT")
        .env_remove("P14P_SVD")
        .output()
        .expect("running p14p")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("p14p-hil-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_hil_examples_pass_on_two_simulators_with_a_junit_report() {
    let junit = scratch("junit").join("report.xml");
    let out = p14p(&[
        "test",
        "tests/hil/common",
        "tests/hil/sim",
        "-p",
        "sim",
        "-p",
        "sim",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        stdout.lines().last(),
        Some("11 passed, 0 failed"),
        "{stdout}"
    );
    let xml = std::fs::read_to_string(junit).unwrap();
    assert!(
        xml.contains("<testsuite name=\"p14p\" tests=\"11\" failures=\"0\""),
        "{xml}"
    );
    assert!(xml.contains("name=\"gpio\""), "{xml}");
    assert!(xml.contains("name=\"pin\""), "{xml}");
    assert!(xml.contains("name=\"buses\""), "{xml}");
    assert!(xml.contains("name=\"irq\""), "{xml}");
}

#[test]
fn failures_show_the_traceback_the_diff_and_a_timeout() {
    let dir = scratch("fail");
    std::fs::write(dir.join("ok.py"), "print('fine')\n").unwrap();
    std::fs::write(dir.join("ok.exp"), "fine\n").unwrap();
    std::fs::write(
        dir.join("raises.py"),
        "def f(x):\n    return 1 // x\n\nf(0)\n",
    )
    .unwrap();
    std::fs::write(dir.join("differs.py"), "print(1)\nprint(2)\n").unwrap();
    std::fs::write(dir.join("differs.exp"), "1\n3\n").unwrap();
    std::fs::write(
        dir.join("spins.py"),
        "print('start')\nwhile True:\n    pass\n",
    )
    .unwrap();
    // Catches the interrupt too: stopped by the second.
    std::fs::write(
        dir.join("catches.py"),
        "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n",
    )
    .unwrap();
    let out = p14p(&["test", dir.to_str().unwrap(), "--timeout", "0.5"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(
        stdout.lines().last(),
        Some("1 passed, 4 failed"),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("timed out after 0.5s").count(),
        2,
        "{stdout}"
    );
    // The traceback names the file, the line and shows the source.
    assert!(stdout.contains("raises.py\", line 2, in f"), "{stdout}");
    assert!(stdout.contains("return 1 // x"), "{stdout}");
    assert!(stdout.contains("ZeroDivisionError"), "{stdout}");
    // The diff marks the expected and the printed line.
    assert!(stdout.contains("- 3") && stdout.contains("+ 2"), "{stdout}");
    assert!(stdout.contains("timed out after 0.5s"), "{stdout}");
    assert!(stdout.contains("start"), "the output so far: {stdout}");
}

#[test]
fn watch_shows_each_change_a_running_program_makes() {
    let out = p14p(&[
        "watch",
        "GPIO.DATA",
        "--svd",
        "ports/posix/svd/p14p-sim.svd",
        "--interval",
        "10",
        "--run",
        "tests/hil/sim/blink.py",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].contains("GPIO.DATA  0x00000000"), "{stdout}");
    // Every change line reads `old → new` with fields, values rising to 5.
    let mut last = 0;
    for l in &lines[1..] {
        let (_, change) = l.split_once("GPIO.DATA  ").unwrap();
        let (old, rest) = change.split_once(" → ").unwrap();
        let new = u32::from_str_radix(&rest[2..10], 16).unwrap();
        assert_eq!(
            u32::from_str_radix(&old[2..], 16).unwrap(),
            last,
            "{stdout}"
        );
        assert!(new > last, "{stdout}");
        assert!(rest.contains("LED="), "fields decoded: {stdout}");
        last = new;
    }
    assert_eq!(last, 5, "the value the program left: {stdout}");
    assert!(lines.len() >= 2, "at least one change seen: {stdout}");
    assert_eq!(
        text(&out.stderr),
        "done\n",
        "the program's output goes to stderr"
    );
}

#[test]
fn peek_names_registers_and_refuses_out_of_map_addresses() {
    let svd = "ports/posix/svd/p14p-sim.svd";
    let out = p14p(&["peek", "SYSID.DEVICE_ID", "--svd", svd]);
    assert_eq!(
        text(&out.stdout),
        "SYSID.DEVICE_ID (0x40000000): 0x14500001  (340787201)  FAMILY=0x1450 REVISION=1\n"
    );
    // The old positional count still works, and so does --count.
    let a = p14p(&["peek", "0x40000000", "2"]);
    let b = p14p(&["peek", "0x40000000", "--count", "2"]);
    assert_eq!(text(&a.stdout), text(&b.stdout));
    let version = p14p_protocol::version::PROTOCOL;
    let format = p14p_protocol::version::IMAGE_FORMAT;
    let want = format!("0x40000000: 14500001 {version:04x}{format:04x}");
    assert!(text(&a.stdout).starts_with(&want), "{}", text(&a.stdout));
    let out = p14p(&["peek", "0x50000000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("outside the device's memory map"));
    let out = p14p(&["peek", "GPIO.NOPE", "--svd", svd]);
    assert!(text(&out.stderr).contains("did you mean: GPIO.DATA, GPIO.DIR"));
    // poke by name, then read back.
    assert!(p14p(&["poke", "GPIO.DIR", "0xff", "--svd", svd])
        .status
        .success());
}

/// The real binary in a terminal: tmux runs `p14p inspect --run` on the
/// simulator, the screen is captured once object counts show, then `g`
/// collects while the program runs.
#[test]
fn inspect_shows_live_object_counts_in_a_terminal() {
    if !Tmux::available() {
        return;
    }
    let dir = scratch("inspect");
    let prog = dir.join("grow.py");
    std::fs::write(
        &prog,
        "items = []\nwhile True:\n    items.append('item %d' % len(items))\n    if len(items) > 200:\n        items = []\n",
    )
    .unwrap();
    let term = Tmux::start(
        "inspect",
        110,
        30,
        &[],
        &format!(
            "{} inspect --run {} --interval 100",
            bin("p14p").display(),
            prog.display()
        ),
    );
    let screen = term.wait(10, |s| s.contains("str ") && s.contains("running"));
    // `g` while the program runs: the device collects mid-run and says how
    // long it took.
    term.keys(&["g"]);
    let collected = term.wait(5, |s| s.contains("collected in"));
    term.keys(&["q"]);
    drop(term);
    assert!(screen.contains("p14p inspect"), "{screen}");
    // The str row of the objects table has a non-zero count.
    let row = screen
        .lines()
        .find(|l| l.contains("│str "))
        .unwrap_or_else(|| panic!("no str row:\n{screen}"));
    let count: u32 = row
        .trim_start_matches('│')
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!(count > 0, "{screen}");
    let objects: u32 = screen
        .split("objects ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(objects > 0, "{screen}");
    assert!(collected.contains("collected in"), "{collected}");
    assert!(collected.contains("running"), "still running: {collected}");
    assert!(collected.contains("in total, last"), "GC time: {collected}");
}
