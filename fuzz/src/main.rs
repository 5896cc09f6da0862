//! `p14p-fuzz <target|all> [--iterations N | --seconds S] [--seed X]`, or
//! `p14p-fuzz --replay <target> FILE...`: see the crate docs.

use p14p_fuzz::driver::{campaign, execute, Budget, Outcome};
use p14p_fuzz::seeds::corpus;
use p14p_fuzz::targets::{by_name, Target, Verdict, TARGETS};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: p14p-fuzz <frame|request|image|verify|run|all> [--iterations N | --seconds S] [--seed X]
       p14p-fuzz --replay <target> FILE...
       p14p-fuzz --dis FILE      (an image's bytecode)
       p14p-fuzz --compile FILE.py OUT   (a seed image, every feature on)
--seconds is per target (all: five times as long). Exits 1 if any input panicked or hung.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn target(name: &str) -> Result<Target, String> {
    by_name(name).ok_or_else(|| format!("unknown target {name}"))
}

/// Runs the command line; `Ok(false)` when something panicked or hung.
fn run(args: &[String]) -> Result<bool, String> {
    let first = args.first().ok_or("no target")?;
    if first == "--dis" {
        let f = args.get(1).ok_or("--dis needs a file")?;
        let image = std::fs::read(f).map_err(|e| format!("{f}: {e}"))?;
        let compiled = p14p::compile::Compiled {
            hash: 0,
            image,
            debug: Default::default(),
            imports: Vec::new(),
        };
        print!("{}", p14p::compile::dis::disassemble(&compiled));
        return Ok(true);
    }
    if first == "--compile" {
        let (Some(src), Some(out)) = (args.get(1), args.get(2)) else {
            return Err("--compile needs FILE.py OUT".into());
        };
        let text = std::fs::read_to_string(src).map_err(|e| format!("{src}: {e}"))?;
        let c = p14p::compile::compile(&text, src, &p14p::compile::Target::full())
            .map_err(|_| format!("{src} does not compile"))?;
        std::fs::write(out, c.image).map_err(|e| format!("{out}: {e}"))?;
        return Ok(true);
    }
    if first == "--replay" {
        let t = target(args.get(1).ok_or("--replay needs a target")?)?;
        let mut clean = true;
        for f in &args[2..] {
            let input = std::fs::read(f).map_err(|e| format!("{f}: {e}"))?;
            let o = execute(&t, &input);
            println!("{f}: {o:?}");
            clean &= !matches!(o, Outcome::Panic(_) | Outcome::Done(Verdict::Hang(_)));
        }
        return Ok(clean);
    }
    let targets: Vec<Target> = if first == "all" {
        TARGETS.to_vec()
    } else {
        vec![target(first)?]
    };
    let mut budget = Budget::Iterations(10_000);
    let mut seed = 1u64;
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .ok_or(format!("{a} needs a value"))?
                .parse::<u64>()
                .map_err(|e| format!("{a}: {e}"))
        };
        match a.as_str() {
            "--iterations" => budget = Budget::Iterations(value()?),
            "--seconds" => budget = Budget::Time(Duration::from_secs(value()?)),
            "--seed" => seed = value()?,
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    let corpus = corpus();
    println!(
        "seed {seed}; corpus: {} images, {} requests",
        corpus.images.len(),
        corpus.requests.len()
    );
    let mut clean = true;
    for t in &targets {
        let s = campaign(t, corpus, seed, budget);
        println!(
            "{:<8} {:>9} inputs {:>9} rejected {:>9} accepted {:>3} panics {:>3} hangs {:>9.0} inputs/s",
            t.name,
            s.tried,
            s.rejected,
            s.accepted,
            s.panics,
            s.hangs,
            s.rate()
        );
        for f in &s.failures {
            println!("    {f}");
        }
        clean &= s.panics == 0 && s.hangs == 0;
    }
    Ok(clean)
}
