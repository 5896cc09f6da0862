//! `+` chaining: `p14p push a.py --main + run b.py` runs the commands in
//! order, stopping at the first that fails (its exit status is p14p's).
//!
//! The words are split at lone `+` arguments (a `+` inside a quoted
//! program, `p14p exec 'print(1 + 2)'`, is part of its argument). Global
//! options written before the first command (`-p`, `--store`, `--heap`,
//! `--baud`) apply to every command of the chain.
//!
//! The commands share one connection, as mpremote's chained commands
//! share one serial port: `cli::main` makes one
//! [`Connection`](super::connection::Connection) per port (and options),
//! the first command that needs the device opens and greets it, and every
//! later command gets the same session. So the device is greeted once,
//! and the built-in simulator is one simulated device for the whole
//! chain: `p14p exec 'x = 41' + exec --no-reset 'print(x + 1)'` prints
//! 42. A command naming another port (`repl PORT`, or its own `-p`)
//! gets a connection of its own. `repl` after other commands keeps their
//! `__main__` (no reset), and `attach` after them starts the stored main
//! afresh (their greeting stopped whatever ran).

use super::Cli;
use clap::CommandFactory;
use std::ffi::OsString;

/// The command lines of a chain: `args` (program name first) split at
/// lone `+`, each later one with the first one's leading global options.
pub fn split(args: Vec<OsString>) -> Vec<Vec<OsString>> {
    let Some((program, rest)) = args.split_first() else {
        return vec![args];
    };
    let segments: Vec<&[OsString]> = rest.split(|a| a == "+").collect();
    if segments.len() < 2 {
        return vec![args];
    }
    let cli = Cli::command();
    let names: Vec<String> = cli
        .get_subcommands()
        .flat_map(|c| {
            std::iter::once(c.get_name().to_string()).chain(c.get_all_aliases().map(str::to_string))
        })
        .collect();
    let first = segments[0];
    let globals = first
        .iter()
        .position(|a| names.iter().any(|n| a == n.as_str()))
        .map_or(&first[..0], |at| &first[..at]);
    segments
        .iter()
        .enumerate()
        .map(|(i, seg)| {
            let mut line = vec![program.clone()];
            if i > 0 {
                line.extend_from_slice(globals);
            }
            line.extend_from_slice(seg);
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::split;
    use std::ffi::OsString;

    fn words(s: &str) -> Vec<OsString> {
        s.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn splits_at_lone_plus_and_carries_the_globals() {
        assert_eq!(
            split(words("p14p -p tcp:h:1 push a.py --main + run b.py")),
            vec![
                words("p14p -p tcp:h:1 push a.py --main"),
                words("p14p -p tcp:h:1 run b.py"),
            ]
        );
        assert_eq!(split(words("p14p ls")), vec![words("p14p ls")]);
        let mut exec = words("p14p exec");
        exec.push("print(1 + 2)".into());
        assert_eq!(split(exec.clone()), vec![exec]);
    }
}
