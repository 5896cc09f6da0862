//! Issue 16's native modules for ports: the simulator's `board` module
//! (`ports/posix/src/board.rs`), the complete example of `docs/PORTING.md`,
//! declared in a table and called from Python; the compiler checks its
//! imports and calls against the manifest; the VM checks the types.

use p14p::transport::Port;
use p14p_port_posix::gpio::GPIO;
use p14p_protocol::msg::Width;
use p14p_tests::{open, run_on, runtime, sim_target};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The rendered diagnostics of compiling `source` for the simulator, or
/// `None` when it compiles.
fn diagnostics(source: &str) -> Option<String> {
    let target = sim_target();
    let diags = p14p::compile::compile(source, "t.py", &target).err()?;
    let text: Vec<String> = diags.iter().map(|d| d.render("t.py", source)).collect();
    Some(text.join("\n"))
}

#[test]
fn porting_md_shows_the_simulators_board_module_as_it_is() {
    let board = read("ports/posix/src/board.rs");
    let code = &board[board.find("use crate::platform").expect("a first use")..];
    let doc = read("docs/PORTING.md");
    assert!(
        doc.contains(&format!("```rust\n{code}```\n")),
        "docs/PORTING.md's example differs from ports/posix/src/board.rs"
    );
    // The diagnostic the doc shows is the compiler's.
    let shown = doc
        .split("```text\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a text block");
    let got = diagnostics("import board\nboard.read_sensor(1, 2)\n").expect("refused");
    assert_eq!(shown.trim_end(), got.trim_end());
}

#[test]
fn a_program_calls_the_board_module_on_the_simulator() {
    runtime().block_on(async {
        let s = open(&Port::Sim).await;
        let names: Vec<&str> = s.info().natives.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names.last(), Some(&"board"), "{names:?}");
        let src = "\
import board
from board import read_sensor as rs, led
print(board.read_sensor(0), rs(1), rs(2), rs(True))
led(True)
print(led(), board.led())
led(0)
print(led())
led(7)
print(led())
for bad in ('x', None, 1.5, [1], 2 ** 40, 3, -1):
    try:
        rs(bad)
    except Exception as e:
        print(type(e).__name__, e)
f = led
try:
    f(on=1)
except TypeError as e:
    print(type(e).__name__, e)
try:
    f(1, 2, *())
except TypeError as e:
    print(type(e).__name__, e)
print(getattr(board, 'nope', 'none'), callable(rs))
print(board.read_sensor, led.__name__, type(led).__name__)
";
        let ran = run_on(&s, src, "b.py").await;
        assert_eq!(ran.traceback, None, "{}", ran.stdout);
        let lines: Vec<&str> = ran.stdout.lines().collect();
        assert_eq!(
            lines,
            [
                "90 2150 4200 2150",
                "True True",
                "False",
                "True",
                "TypeError read_sensor() argument 1 must be int, not str",
                "TypeError read_sensor() argument 1 must be int, not NoneType",
                "TypeError read_sensor() argument 1 must be int, not float",
                "TypeError read_sensor() argument 1 must be int, not list",
                "OverflowError integer too large for this device",
                "ValueError no such sensor register",
                "ValueError no such sensor register",
                "TypeError led() takes a different number of positional arguments",
                "TypeError led() takes a different number of positional arguments",
                "none True",
                "<built-in function read_sensor> led builtin_function_or_method",
            ]
        );
        // `led(7)` left the simulated LED (GPIO pin 0) an output, on.
        let data = s.peek(GPIO, Width::U32, 1).await.unwrap();
        let dir = s.peek(GPIO + 4, Width::U32, 1).await.unwrap();
        assert_eq!((data[0] & 1, dir[0] & 1), (1, 1));
    });
}

#[test]
fn the_compiler_checks_imports_and_calls_against_the_declaration() {
    let unknown = diagnostics("from board import read_sensor, nope\n").expect("refused");
    assert!(
        unknown.contains("error: module 'board' has no 'nope' on this device")
            && unknown.contains("help: it provides: read_sensor, led"),
        "{unknown}"
    );
    let attr = diagnostics("import board as b\nb.nope(1)\n").expect("refused");
    assert!(attr.contains("module 'board' has no 'nope'"), "{attr}");
    assert!(attr.contains("2 | b.nope(1)\n  |   ^^^^"), "{attr}");
    let few = diagnostics("from board import read_sensor\nread_sensor()\n").expect("refused");
    assert!(
        few.contains("error: board.read_sensor() takes 1 positional argument but 0 were given")
            && few.contains("help: the device declares board.read_sensor(int)"),
        "{few}"
    );
    let many = diagnostics("import board\ndef f():\n    board.led(1, 2)\n").expect("refused");
    assert!(
        many.contains("board.led() takes from 0 to 1 positional arguments but 2 were given")
            && many.contains("board.led([bool])"),
        "{many}"
    );
    let kw = diagnostics("import board\nboard.led(on=1)\n").expect("refused");
    assert!(
        kw.contains("board.led() takes no keyword arguments"),
        "{kw}"
    );
    // A name that is not the module there is not checked: a parameter, a
    // name bound again, an attribute of something else.
    for ok in [
        "import board\ndef f(board):\n    board.led(1, 2)\n",
        "import board\nboard = None\nboard.led(1, 2)\n",
        "from board import led\nled = print\nled(1, 2)\n",
        "import board\nx = board.led\nboard.read_sensor(1)\n",
    ] {
        assert_eq!(diagnostics(ok), None, "{ok}");
    }
}
