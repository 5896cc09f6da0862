//! The configuration file: port aliases, so `p14p -p pico repl` reaches
//! the board a project names.
//!
//! ```toml
//! [ports]
//! pico = "/dev/ttyACM0"
//! bench = "tcp:192.168.1.20:4444"
//! ```
//!
//! Read from `p14p.toml` in the current folder or the nearest folder above
//! it (a project's), then from `$XDG_CONFIG_HOME/p14p/config.toml` (else
//! `~/.config/p14p/config.toml`); the project's entries win. Only the
//! `[ports]` table is read, and only `name = "value"` lines in it: a
//! dependency-free reading of that much TOML (comments and blank lines
//! allowed, single or double quotes). A name no file defines is a PORT
//! as `p14p --help` describes.

use std::path::{Path, PathBuf};

/// The `[ports]` entries of TOML text `text`, in order.
pub fn parse_ports(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_ports = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            in_ports = line.trim_end_matches(|c: char| c == ']' || c.is_whitespace()) == "[ports";
            continue;
        }
        if !in_ports {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']);
        let value = value.trim();
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'');
        let Some(q) = quote else {
            continue;
        };
        if let Some(end) = value[1..].find(q) {
            out.push((key.to_string(), value[1..=end].to_string()));
        }
    }
    out
}

/// The configuration files, the project's first.
fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        if let Some(dir) = cwd.ancestors().find(|d| d.join("p14p.toml").is_file()) {
            out.push(dir.join("p14p.toml"));
        }
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")));
    if let Some(c) = config {
        out.push(c.join("p14p").join("config.toml"));
    }
    out
}

/// What port alias `name` stands for, or `name` itself.
pub fn port_alias(name: &str) -> String {
    for file in files() {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if let Some((_, port)) = parse_ports(&text).into_iter().find(|(k, _)| k == name) {
            return port;
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_ports_table_only() {
        let text =
            "# p14p\n[build]\npico = \"no\"\n\n[ports]\npico = \"/dev/ttyACM0\"  # the board\n\
                    'bench' = 'tcp:10.0.0.2:4444'\nbad = 5\n[other]\nx = \"y\"\n";
        assert_eq!(
            super::parse_ports(text),
            vec![
                ("pico".to_string(), "/dev/ttyACM0".to_string()),
                ("bench".to_string(), "tcp:10.0.0.2:4444".to_string()),
            ]
        );
    }
}
