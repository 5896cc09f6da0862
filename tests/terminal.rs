//! `p14p repl` at a real terminal (tmux): prompts, a multi-line block
//! (auto-indented, Backspace dedenting),
//! names kept between inputs, an expression's repr echoed, Ctrl-C stopping
//! a `while True: pass` with the next input working, one Ctrl-C stopping
//! a loop that catches every exception (p14p insists after a second), its
//! names kept, Ctrl-D ending the
//! session, and the history file written on the way out.

use p14p_tests::bin;
use p14p_tests::tmux::Tmux;

#[test]
fn the_repl_at_a_terminal_interrupts_runaway_code_and_keeps_going() {
    if !Tmux::available() {
        return;
    }
    let state = std::env::temp_dir().join(format!("p14p-terminal-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).unwrap();
    let state_dir = state.to_str().unwrap();
    let term = Tmux::start(
        "repl",
        100,
        40,
        &[("XDG_STATE_HOME", state_dir), ("HOME", state_dir)],
        &format!("{} repl sim", bin("p14p").display()),
    );
    // tmux trims trailing blanks: the prompt `>>> ` reads as `>>>`.
    let screen = term.wait(30, |s| s.contains(">>>"));
    assert!(screen.contains(">>>"), "no prompt:\n{screen}");

    term.line("x = 6");
    term.wait_prompt("x = 6", ">>>");
    term.line("x * 7");
    let screen = term.wait(20, |s| s.lines().any(|l| l == "42"));
    assert!(screen.lines().any(|l| l == "42"), "{screen}");
    term.wait_prompt("42", ">>>");

    // A block: the continuation prompt, indented for the body (typed
    // text goes after the indentation), then a blank line ends it.
    term.line("def inc(n):");
    let screen = term.wait(10, |s| s.contains("..."));
    assert!(screen.contains("..."), "{screen}");
    term.line("return n + 1");
    let screen = term.wait(10, |s| s.contains("...     return n + 1"));
    assert!(screen.contains("...     return n + 1"), "{screen}");
    term.line("");
    term.wait_prompt("return n + 1", ">>>");
    term.line("inc(x) * 6");
    let screen = term.wait(20, |s| s.lines().filter(|l| *l == "42").count() == 2);
    assert_eq!(screen.lines().filter(|l| *l == "42").count(), 2, "{screen}");
    term.wait_prompt("42", ">>>");

    // Runaway code: it spins until Ctrl-C, then the prompt is back.
    term.line("while True: pass");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let spinning = term.screen();
    assert!(
        !spinning.trim_end().ends_with(">>>"),
        "the loop should still be running:\n{spinning}"
    );
    term.keys(&["C-c"]);
    let screen = term.wait(20, |s| s.contains("KeyboardInterrupt"));
    assert!(screen.contains("KeyboardInterrupt"), "{screen}");
    term.wait_prompt("KeyboardInterrupt", ">>>");
    term.line("print('after', x)");
    let screen = term.wait(20, |s| s.lines().any(|l| l == "after 6"));
    assert!(screen.lines().any(|l| l == "after 6"), "{screen}");
    term.wait_prompt("after 6", ">>>");

    // A loop that catches KeyboardInterrupt: one Ctrl-C, and p14p insists
    // a second later; the globals survive.
    // Auto-indent: each line starts at the block's indentation, one level
    // deeper after `:`; Backspace takes one level back.
    term.line("while True:");
    term.line("try:");
    term.line("while True: pass");
    term.keys(&["BSpace"]);
    term.line("except BaseException: pass");
    term.line("");
    std::thread::sleep(std::time::Duration::from_millis(700));
    term.keys(&["C-c"]);
    let screen = term.wait(20, |s| s.contains("stopping it"));
    assert!(screen.contains("caught KeyboardInterrupt"), "{screen}");
    term.wait_prompt("KeyboardInterrupt", ">>>");
    term.line("print('then', x)");
    let screen = term.wait(20, |s| s.lines().any(|l| l == "then 6"));
    assert!(screen.lines().any(|l| l == "then 6"), "{screen}");
    term.wait_prompt("then 6", ">>>");

    // Ctrl-D ends the session cleanly and saves the history.
    term.keys(&["C-d"]);
    let screen = term.wait(20, |s| s.contains("[exited"));
    assert!(screen.contains("[exited 0]"), "{screen}");
    let history = std::fs::read_to_string(state.join("p14p").join("history")).unwrap();
    assert!(history.lines().any(|l| l == "x * 7"), "{history}");
    assert!(
        history.lines().any(|l| l == "print('after', x)"),
        "{history}"
    );
    let _ = std::fs::remove_dir_all(&state);
}

/// Paste mode (Ctrl-E), a bracketed paste of a function with blank lines,
/// and Tab completing a module's member and a live object's method.
#[test]
fn the_repl_at_a_terminal_pastes_and_completes() {
    if !Tmux::available() {
        return;
    }
    let state = std::env::temp_dir().join(format!("p14p-terminal-paste-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).unwrap();
    let state_dir = state.to_str().unwrap();
    let term = Tmux::start(
        "paste",
        100,
        40,
        &[("XDG_STATE_HOME", state_dir), ("HOME", state_dir)],
        &format!("{} repl sim", bin("p14p").display()),
    );
    let screen = term.wait(30, |s| s.contains(">>>"));
    assert!(screen.contains(">>>"), "no prompt:\n{screen}");

    // Paste mode: typed lines as written, blank ones included; Ctrl-D runs.
    term.keys(&["C-e"]);
    let screen = term.wait(10, |s| {
        s.contains("paste mode; Ctrl-C to cancel, Ctrl-D to finish")
    });
    assert!(screen.contains("==="), "{screen}");
    for line in ["def f(n):", "    y = n * 2", "", "    return y + 1", ""] {
        term.line(line);
    }
    term.line("print('f', f(20))");
    // Each key after the REPL shows its prompt again, as a user types
    // (see `Tmux::wait_prompt`).
    term.wait_prompt("print('f', f(20))", "===");
    term.keys(&["C-d"]);
    let screen = term.wait(20, |s| s.lines().any(|l| l == "f 41"));
    assert!(screen.lines().any(|l| l == "f 41"), "{screen}");
    term.wait_prompt("f 41", ">>>");

    // A bracketed paste of a function with a blank line inside.
    term.paste("def g(a):\n    b = a + 1\n\n    return b * 2\n\nprint('g', g(1))");
    term.keys(&["Enter"]);
    let screen = term.wait(20, |s| s.lines().any(|l| l == "g 4"));
    assert!(screen.lines().any(|l| l == "g 4"), "{screen}");
    term.wait_prompt("g 4", ">>>");

    // Tab: a module's member (the host knows it), a list's method (the
    // device is asked).
    term.line("import time");
    term.wait_prompt("import time", ">>>");
    term.keys(&["-l", "time.ticks_d"]);
    term.keys(&["Tab"]);
    let screen = term.wait(10, |s| s.contains("time.ticks_diff"));
    assert!(screen.contains(">>> time.ticks_diff"), "{screen}");
    term.keys(&["C-u"]);
    term.line("xs = [3, 1]");
    term.wait_prompt("xs = [3, 1]", ">>>");
    term.keys(&["-l", "xs.app"]);
    term.keys(&["Tab"]);
    let screen = term.wait(10, |s| s.contains("xs.append"));
    assert!(screen.contains(">>> xs.append"), "{screen}");
    term.keys(&["-l", "(2)"]);
    term.keys(&["Enter"]);
    term.wait_prompt("xs.append(2)", ">>>");
    term.line("xs");
    let screen = term.wait(20, |s| s.lines().any(|l| l == "[3, 1, 2]"));
    assert!(screen.lines().any(|l| l == "[3, 1, 2]"), "{screen}");
    term.wait_prompt("[3, 1, 2]", ">>>");

    term.keys(&["C-d"]);
    let screen = term.wait(20, |s| s.contains("[exited"));
    assert!(screen.contains("[exited 0]"), "{screen}");
    let _ = std::fs::remove_dir_all(&state);
}
