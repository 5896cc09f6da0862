//! `p14p ui` driven in a real terminal (tmux), in one run: typing in the
//! REPL pane (Tab completion, `input()`, paste mode), the heap pane
//! updating while a program runs, and a file synced from the files pane.

use p14p_tests::tmux::Tmux;
use p14p_tests::{bin, p14p_with_store, stdout_of_success};

/// The figure after `used ` in the heap pane.
fn used(screen: &str) -> Option<u32> {
    let at = screen.find("used ")? + 5;
    screen[at..].split(' ').next()?.parse().ok()
}

#[test]
fn the_workbench_runs_the_repl_watches_the_heap_and_syncs_a_file() {
    if !Tmux::available() {
        return;
    }
    let dir = p14p_tests::scratch_dir("workbench", "ui");
    let store = dir.join("flash.bin");
    let app = dir.join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("hello.txt"), "hello from the files pane\n").unwrap();
    let state = dir.join("state");
    std::fs::create_dir_all(&state).unwrap();
    let state = state.to_str().unwrap();
    let store_s = store.to_str().unwrap();
    let term = Tmux::start(
        "workbench",
        120,
        40,
        &[
            ("XDG_STATE_HOME", state),
            ("HOME", state),
            ("P14P_STORE", store_s),
        ],
        &format!(
            "{} ui --interval 200 --dir {}",
            bin("p14p").display(),
            app.display()
        ),
    );
    let screen = term.wait(30, |s| s.contains(">>>") && s.contains("hello.txt"));
    assert!(screen.contains("local only"), "{screen}");

    // The REPL pane: names persist, values print.
    term.line("x = 6");
    term.line("print('answer', x * 7)");
    let screen = term.wait(20, |s| s.contains("answer 42"));
    assert!(screen.contains("answer 42"), "{screen}");

    // Tab completes a live object's attribute (asked of the device).
    term.keys(&["-l", "x.bit_le"]);
    term.keys(&["Tab"]);
    let screen = term.wait(20, |s| s.contains(">>> x.bit_length"));
    assert!(screen.contains(">>> x.bit_length"), "{screen}");
    term.line("()");
    // Its value on the next row (the pane's left border before it).
    let answered = |s: &str| {
        let rows: Vec<&str> = s.lines().collect();
        rows.windows(2)
            .any(|w| w[0].contains(">>> x.bit_length()") && w[1].starts_with("║3 "))
    };
    let screen = term.wait(20, answered);
    assert!(answered(&screen), "{screen}");

    // A program's input() is answered in the pane.
    term.line("name = input('who? ')");
    let screen = term.wait(20, |s| s.contains("input() waits"));
    assert!(screen.contains("who?"), "{screen}");
    term.line("Ada");
    term.line("print('hi', name)");
    let screen = term.wait(20, |s| s.contains("hi Ada"));
    assert!(screen.contains("hi Ada"), "{screen}");

    // Paste mode (Ctrl-E): a function with a blank line, run on Ctrl-D.
    term.keys(&["C-e"]);
    for line in ["def g():", "    a = 20", "", "    return a + 1"] {
        term.line(line);
    }
    term.keys(&["C-d"]);
    term.line("print('g', g() * 2)");
    let screen = term.wait(20, |s| s.contains("g 42"));
    assert!(screen.contains("g 42"), "{screen}");

    // A program that grows the heap for a few seconds: the heap pane's
    // figures change while it runs.
    term.line("import time");
    term.line("keep = []");
    term.line("for i in range(40):");
    term.line("keep.append([i] * 40)");
    term.line("time.sleep(0.1)");
    term.line("");
    let screen = term.wait(20, |s| s.contains("running"));
    assert!(screen.contains("running"), "{screen}");
    let first = used(&screen).expect("a heap figure");
    let screen = term.wait(20, |s| {
        s.contains("running") && used(s).is_some_and(|u| u > first + 1000)
    });
    assert!(
        screen.contains("running") && used(&screen).is_some_and(|u| u > first + 1000),
        "the heap pane did not follow the run (first {first}):\n{screen}"
    );
    let screen = term.wait(30, |s| !s.contains("running"));
    assert!(!screen.contains("running"), "{screen}");

    // The files pane: select hello.txt (the first row) and send it.
    term.keys(&["Tab"]);
    term.keys(&["s"]);
    let screen = term.wait(20, |s| s.contains("hello.txt sent"));
    assert!(screen.contains("hello.txt sent"), "{screen}");
    assert!(!screen.contains("local only"), "{screen}");

    term.keys(&["C-q"]);
    let screen = term.wait(20, |s| s.contains("[exited"));
    assert!(screen.contains("[exited 0]"), "{screen}");
    let cat = p14p_with_store(&["cat", "hello.txt"], &store);
    assert_eq!(stdout_of_success(&cat), "hello from the files pane\n");
    let _ = std::fs::remove_dir_all(&dir);
}
