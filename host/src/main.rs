//! The `p14p` executable: see [`p14p::cli`].

fn main() -> std::process::ExitCode {
    p14p::cli::main()
}
