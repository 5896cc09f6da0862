//! `+` chaining and port aliases: `p14p -p ALIAS push a.py --main + run
//! b.py + ls` runs the commands in order with the alias resolved from the
//! project's `p14p.toml`, and a failing command ends the chain with its
//! status.

use p14p_tests::bin;
use std::process::Command;

#[test]
fn a_chain_runs_in_order_with_a_port_alias_and_stops_at_a_failure() {
    let dir = p14p_tests::scratch_dir("chain", "alias");
    std::fs::write(dir.join("a.py"), "print('from a')\n").unwrap();
    std::fs::write(dir.join("b.py"), "print('from b')\n").unwrap();
    std::fs::write(dir.join("p14p.toml"), "[ports]\nmine = \"sim\"\n").unwrap();
    let p14p = |args: &[&str]| {
        Command::new(bin("p14p"))
            .args(args)
            .current_dir(&dir)
            .env("P14P_STORE", dir.join("flash.bin"))
            .env_remove("P14P_PORT")
            .output()
            .unwrap()
    };
    let out = p14p(&[
        "-p", "mine", "push", "a.py", "--main", "+", "run", "b.py", "+", "ls", "+", "eval", "1 + 2",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("pushed a.py ("), "{stdout}");
    assert_eq!(lines[1..3], ["main = a.py", "from b"]);
    assert!(lines[3].ends_with("a.py  (main)"), "{stdout}");
    assert_eq!(lines[4], "3");

    let out = p14p(&["run", "missing.py", "+", "ls"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "ls ran after a failure");
    let _ = std::fs::remove_dir_all(&dir);
}
