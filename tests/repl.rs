//! `p14p repl` with piped stdin: the real binary, as a script would use it.

use p14p_tests::{bin, output_with_stdin};
use std::process::Command;

fn repl(input: &str) -> (String, String, bool) {
    let mut p14p = Command::new(bin("p14p"));
    p14p.arg("repl").env_remove("P14P_PORT");
    let out = output_with_stdin(&mut p14p, input.as_bytes());
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

#[test]
fn names_persist_expressions_echo_and_exceptions_do_not_end_the_session() {
    let (out, err, ok) = repl(
        "x = 20\n\
         def twice(n):\n\
         \x20   total = 0\n\
         \x20   for _ in range(2):\n\
         \x20       total += n\n\
         \x20   return total\n\
         \n\
         twice(x) + 2\n\
         1 / 0\n\
         x\n\
         None\n\
         'done'\n",
    );
    assert!(ok, "{err}");
    assert_eq!(out, "42\n20\n'done'\n");
    assert!(err.contains("ZeroDivisionError: division by zero"), "{err}");
    assert!(
        err.contains("File \"<stdin>\", line 1, in <module>"),
        "{err}"
    );
}

#[test]
fn compile_errors_are_shown_and_the_session_continues() {
    let (out, err, ok) = repl("y = = 1\ny = 5\ny * 2\n");
    assert!(ok, "{err}");
    assert_eq!(out, "10\n");
    assert!(err.contains("error"), "{err}");
}

#[test]
fn piped_blocks_may_omit_the_blank_line() {
    let (out, err, ok) = repl("for i in range(3):\n    print(i)\nprint('end')\n");
    assert!(ok, "{err}");
    assert_eq!(out, "0\n1\n2\nend\n");
}

#[test]
fn echo_uses_a_user_repr_and_an_exceptions_message_text() {
    let (out, err, ok) = repl(
        "class A:\n    def __repr__(self):\n        return 'A!'\n\n\
         A()\n[A(), 1]\n\
         try:\n    {}.missing\nexcept AttributeError as e:\n    e\n\n",
    );
    assert!(ok, "{err}");
    assert_eq!(
        out,
        "A!\n[A!, 1]\nAttributeError(\"'dict' object has no attribute 'missing'\")\n"
    );
}

#[test]
fn paste_mode_runs_a_function_with_blank_lines_as_written() {
    // \x05 (Ctrl-E) starts paste mode and \x04 (Ctrl-D) runs the text as
    // one program: the blank lines inside `f` do not end it, and the text
    // runs as a file does (no echo of `f(0)`), as in MicroPython.
    let (out, err, ok) = repl(
        "x = 10\n\
         \x05\n\
         def f(n):\n\
         \x20   y = n * 2\n\
         \n\
         \n\
         \x20   return y + x\n\
         \n\
         f(0)\n\
         print(f(1))\n\
         \x04\n\
         f(2)\n",
    );
    assert!(ok, "{err}");
    assert_eq!(out, "12\n14\n", "{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn paste_mode_is_cancelled_by_ctrl_c_and_ends_with_the_input() {
    let (out, err, ok) = repl(
        "\x05\nprint('dropped')\n\x03\nprint('typed')\n\
         \x05\nfor i in range(2):\n\n    print(i)\n",
    );
    assert!(ok, "{err}");
    assert_eq!(out, "typed\n0\n1\n", "{err}");
}

#[test]
fn tab_asks_the_device_for_a_live_objects_attributes_without_output() {
    use p14p::repl::Repl;
    use p14p::session::Session;
    use p14p::transport::{OpenOptions, Port};
    p14p_tests::runtime().block_on(async {
        let options = OpenOptions {
            store: None,
            ..OpenOptions::default()
        };
        let session = Session::open(&Port::Sim, &options).await.unwrap();
        let mut repl = Repl::new(session).await.unwrap();
        let defined = "class Point:\n    dim = 2\n    def norm(self): pass\n\n\
                       p = Point()\np.x = 1\nitems = [p]\ntext = 'abc'\n";
        assert!(repl.eval_paste(defined).await.unwrap());
        let attrs = repl.attributes("p").await.unwrap();
        for name in ["x", "dim", "norm"] {
            assert!(attrs.iter().any(|a| a == name), "{name}: {attrs:?}");
        }
        // A builtin type's methods: the device's dir() has none of them,
        // the probe asks which of CPython's it has.
        let attrs = repl.attributes("items").await.unwrap();
        assert!(attrs.iter().any(|a| a == "append"), "{attrs:?}");
        assert!(!attrs.iter().any(|a| a == "upper"), "{attrs:?}");
        let attrs = repl.attributes("text").await.unwrap();
        assert!(attrs.iter().any(|a| a == "upper"), "{attrs:?}");
        assert_eq!(repl.attributes("missing").await, None);
        // The probe defined nothing: the globals are the program's.
        assert!(repl.eval("print(sorted(globals()))").await.unwrap());
    });
}

#[test]
fn dir_lists_the_sessions_names_and_help_is_answered() {
    let (out, err, ok) = repl(
        "x = 1\n\
         import time\n\
         def area(w, h=2):\n\
         \x20   \"\"\"The area of a w by h box.\"\"\"\n\
         \x20   return w * h\n\
         \n\
         dir()\n\
         names = dir()\n\
         len(names)\n\
         help(area)\n\
         help(time)\n\
         help([1])\n\
         help(missing)\n\
         help()\n",
    );
    assert!(ok, "{err}");
    assert!(
        out.starts_with(
            "['area', 'time', 'x']\n3\ndef area(w, h=2)\n\n    The area of a w by h box.\n"
        ),
        "{out}"
    );
    assert!(out.contains("module time\n"), "{out}");
    assert!(out.contains("    sleep_ms(1 argument"), "{out}");
    assert!(out.contains("[1]: list\n    [1]\n\nattributes:\n"), "{out}");
    assert!(out.contains("append"), "{out}");
    assert!(
        err.contains("NameError: name 'missing' is not defined"),
        "{err}"
    );
    for key in ["Ctrl-C", "Ctrl-D", "Ctrl-E", "Tab"] {
        assert!(out.contains(key), "{key}: {out}");
    }
}

#[test]
fn dir_in_a_function_lists_its_locals_as_cpythons_does() {
    let (out, err, ok) = repl("def f(a, b=2):\n    c = a\n    return dir()\n\nf(1)\n");
    assert!(ok, "{err}");
    assert_eq!(out, "['a', 'b', 'c']\n", "{err}");
}
