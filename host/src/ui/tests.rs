//! Snapshots of each pane and of the whole screen, drawn from fixtures
//! into ratatui's `TestBackend`; the key map.

use super::input::{action, Action};
use super::state::{compare, App, Compare, Pane};
use super::view;
use crate::session::{DeviceInfo, StoredFile};
use p14p_protocol::msg::{FileKind, HeapStats, StoreStats, TypeCount};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn stored(name: &str, size: u32, crc: u32, main: bool) -> StoredFile {
    StoredFile {
        name: name.into(),
        kind: if name.ends_with(".py") {
            FileKind::Image
        } else {
            FileKind::Data
        },
        size,
        crc,
        main,
    }
}

fn fixture() -> App {
    let mut app = App {
        port: "sim".into(),
        ..App::default()
    };
    app.repl.prompt = ">>> ".into();
    app.repl
        .print(">>> x = 6\n>>> x * 7\n42\n>>> def f():\n...     return 1\n... \n");
    app.repl.input = "f()".into();
    app.files.dir = "app".into();
    app.files.rows = compare(
        &[
            ("main.py".into(), 120, 7),
            ("lib/util.py".into(), 80, 9),
            ("notes.txt".into(), 5, 1),
        ],
        &[
            stored("main.py", 120, 7, true),
            stored("lib/util.py", 76, 3, false),
            stored("old.txt", 9, 2, false),
        ],
    );
    app.files.selected = 1;
    app.heap.board = "posix-sim".into();
    app.heap.sample.stats = HeapStats {
        total: 65536,
        used: 16384,
        free: 49152,
        largest_free: 40000,
        objects: 321,
        ..HeapStats::default()
    };
    app.heap.sample.types = vec![
        TypeCount {
            tag: 0,
            count: 3,
            bytes: 49152,
        },
        TypeCount {
            tag: 1,
            count: 200,
            bytes: 8000,
        },
    ];
    app.heap.samples = 12;
    app.device.info = Some(DeviceInfo {
        protocol: 12,
        image_format: 1,
        board: "posix-sim".into(),
        firmware: "0.1.0".into(),
        heap_bytes: 65536,
        store_bytes: 65536,
        max_frame: 300,
        window: 2,
        recursion_limit: 64,
        features: 0,
        natives: Vec::new(),
        natives_count: 0,
        store_max_files: 64,
        store_max_name: 32,
    });
    app.device.store = Some(StoreStats {
        capacity: 65536,
        used: 1024,
        files: 3,
        page_size: 4096,
        pages: 16,
    });
    app.device.link = (1234, 2, 1);
    app
}

fn draw(width: u16, height: u16, f: impl FnOnce(&mut ratatui::Frame)) -> String {
    view::text(width, height, f).unwrap()
}

#[test]
fn the_rows_say_which_files_differ() {
    let app = fixture();
    let by: Vec<(&str, Compare)> = app
        .files
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.compare))
        .collect();
    assert_eq!(
        by,
        vec![
            ("lib/util.py", Compare::Differs),
            ("main.py", Compare::Same),
            ("notes.txt", Compare::LocalOnly),
            ("old.txt", Compare::DeviceOnly),
        ]
    );
}

#[test]
fn repl_pane() {
    let app = fixture();
    insta::assert_snapshot!(draw(50, 10, |f| super::repl_pane::render(
        f,
        f.area(),
        &app.repl,
        true
    )));
}

#[test]
fn files_pane() {
    let app = fixture();
    insta::assert_snapshot!(draw(60, 8, |f| super::files_pane::render(
        f,
        f.area(),
        &app.files,
        true
    )));
}

#[test]
fn heap_pane() {
    let app = fixture();
    insta::assert_snapshot!(draw(48, 12, |f| super::heap_pane::render(
        f,
        f.area(),
        &app.heap,
        false
    )));
}

#[test]
fn device_pane() {
    let app = fixture();
    insta::assert_snapshot!(draw(48, 9, |f| super::device_pane::render(
        f,
        f.area(),
        &app.device,
        &app.port,
        false
    )));
}

#[test]
fn the_whole_screen_at_two_sizes() {
    let mut app = fixture();
    app.focus = Pane::Files;
    app.status = "lib/util.py sent".into();
    insta::assert_snapshot!("screen_100x30", draw(100, 30, |f| view::render(f, &app)));
    // Small terminals draw without panicking, panes cut.
    insta::assert_snapshot!("screen_40x10", draw(40, 10, |f| view::render(f, &app)));
    let _ = draw(1, 1, |f| view::render(f, &app));
}

#[test]
fn keys_depend_on_the_focused_pane() {
    let key = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let ctrl = |c: char| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    assert_eq!(
        action(&key(KeyCode::Char('s')), Pane::Repl),
        Some(Action::Type('s'))
    );
    assert_eq!(
        action(&key(KeyCode::Char('s')), Pane::Files),
        Some(Action::SyncOne)
    );
    assert_eq!(
        action(&key(KeyCode::Char('g')), Pane::Heap),
        Some(Action::Collect)
    );
    assert_eq!(
        action(&key(KeyCode::Tab), Pane::Repl),
        Some(Action::Complete)
    );
    assert_eq!(
        action(&key(KeyCode::Tab), Pane::Files),
        Some(Action::NextPane)
    );
    assert_eq!(
        action(&key(KeyCode::BackTab), Pane::Repl),
        Some(Action::NextPane)
    );
    assert_eq!(action(&ctrl('e'), Pane::Repl), Some(Action::PasteMode));
    assert_eq!(action(&ctrl('d'), Pane::Repl), Some(Action::EndOfInput));
    assert_eq!(
        action(&Event::Paste("a\nb".into()), Pane::Repl),
        Some(Action::Pasted("a\nb".into()))
    );
    assert_eq!(action(&ctrl('c'), Pane::Repl), Some(Action::Interrupt));
    assert_eq!(action(&ctrl('q'), Pane::Heap), Some(Action::Quit));
}

/// An editor completing with the simulator-like fixture: a `time` module,
/// `t` bound to it, `counter` whose live attributes a fake probe gives.
fn editor() -> super::repl_edit::Editor {
    use crate::repl::complete::{Helper, Modules, Probe};
    use std::sync::{Arc, Mutex};
    let natives = vec![(
        "time".to_string(),
        vec!["sleep".to_string(), "sleep_ms".to_string()],
    )];
    let names = Arc::new(Mutex::new(crate::repl::names::Names::default()));
    names
        .lock()
        .unwrap()
        .learn("import time as t\ncounter = 0\n");
    let probe: Probe = Box::new(|expr| {
        (expr == "counter").then(|| vec!["bit_length".to_string(), "to_bytes".to_string()])
    });
    super::repl_edit::Editor::new(Helper::new(names, Modules::new(&natives), Some(probe)))
}

/// A fresh REPL pane at the primary prompt.
fn idle() -> App {
    let mut app = App::default();
    app.repl.prompt = super::repl_edit::PRIMARY.into();
    app
}

fn typed(ed: &mut super::repl_edit::Editor, app: &mut App, text: &str) {
    for c in text.chars() {
        assert!(ed.act(&Action::Type(c), app).is_empty());
    }
}

fn pane(app: &App) -> String {
    draw(50, 8, |f| {
        super::repl_pane::render(f, f.area(), &app.repl, true)
    })
}

#[test]
fn tab_completes_names_live_attributes_and_module_members() {
    use super::repl_edit::Effect;
    let mut ed = editor();
    let mut app = idle();
    // At an empty line Tab moves on, as in the other panes.
    assert_eq!(ed.act(&Action::Complete, &mut app), [Effect::NextPane]);
    typed(&mut ed, &mut app, "counter.bit");
    assert!(ed.act(&Action::Complete, &mut app).is_empty());
    assert_eq!(app.repl.input, "counter.bit_length");
    app.repl.input = "isinst".into();
    ed.act(&Action::Complete, &mut app);
    assert_eq!(app.repl.input, "isinstance");
    // Several candidates: the common part, then the list.
    app.repl.input = "t.sl".into();
    ed.act(&Action::Complete, &mut app);
    assert_eq!(app.repl.input, "t.sleep");
    ed.act(&Action::Complete, &mut app);
    insta::assert_snapshot!("repl_pane_completion", pane(&app));
}

#[test]
fn paste_mode_runs_a_function_with_blank_lines_as_one_program() {
    use super::repl_edit::{Effect, Entry};
    let mut ed = editor();
    let mut app = idle();
    assert!(ed.act(&Action::PasteMode, &mut app).is_empty());
    for line in ["def f():", "    a = 1", "", "    return a"] {
        typed(&mut ed, &mut app, line);
        assert!(ed.act(&Action::Enter, &mut app).is_empty());
    }
    // Tab in paste mode is indentation, not completion.
    ed.act(&Action::Complete, &mut app);
    assert_eq!(app.repl.input, "    ");
    app.repl.input.clear();
    insta::assert_snapshot!("repl_pane_paste_mode", pane(&app));
    assert_eq!(
        ed.act(&Action::EndOfInput, &mut app),
        [Effect::Run(Entry::Paste(
            "def f():\n    a = 1\n\n    return a\n".into()
        ))]
    );
    assert!(app.repl.busy);
    assert_eq!(app.repl.prompt, ">>> ");
    // Ctrl-C drops a paste.
    ed.finished(&mut app);
    ed.act(&Action::PasteMode, &mut app);
    typed(&mut ed, &mut app, "x = 1");
    ed.act(&Action::Enter, &mut app);
    assert!(ed.act(&Action::Interrupt, &mut app).is_empty());
    assert_eq!(ed.act(&Action::EndOfInput, &mut app), [Effect::Quit]);
}

#[test]
fn a_bracketed_paste_keeps_a_function_with_blank_lines_whole() {
    use super::repl_edit::{Effect, Entry};
    let mut ed = editor();
    let mut app = idle();
    let text = "def g():\n    a = 1\n\n    return a\n\nprint(g())\n";
    assert_eq!(
        ed.act(&Action::Pasted(text.into()), &mut app),
        [Effect::Run(Entry::Input(
            "def g():\n    a = 1\n\n    return a".into()
        ))]
    );
    // The second input waits for the first to end.
    assert_eq!(
        ed.finished(&mut app),
        [Effect::Run(Entry::Input("print(g())".into()))]
    );
}

#[test]
fn a_programs_input_is_answered_from_the_pane() {
    use super::repl_edit::{Effect, Entry};
    let mut ed = editor();
    let mut app = idle();
    typed(&mut ed, &mut app, "name = input('who? ')");
    assert_eq!(
        ed.act(&Action::Enter, &mut app),
        [Effect::Run(Entry::Input("name = input('who? ')".into()))]
    );
    // The program prints its prompt and asks.
    app.repl.print("who? ");
    app.repl.asked = true;
    typed(&mut ed, &mut app, "Ada");
    insta::assert_snapshot!("repl_pane_input", pane(&app));
    assert_eq!(
        ed.act(&Action::Enter, &mut app),
        [Effect::Line("Ada\n".into())]
    );
    assert_eq!(app.repl.shown().last(), Some(&"who? Ada"));
    // Ctrl-D is end of input; Ctrl-C also ends the wait.
    app.repl.asked = true;
    assert_eq!(
        ed.act(&Action::EndOfInput, &mut app),
        [Effect::Line(String::new())]
    );
    app.repl.asked = true;
    assert_eq!(
        ed.act(&Action::Interrupt, &mut app),
        [Effect::Interrupt, Effect::Line(String::new())]
    );
}
