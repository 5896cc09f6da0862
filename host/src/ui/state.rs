//! What `p14p ui` shows: plain data, drawn by the panes and changed by
//! [`super`]'s loop, so every pane can be rendered from a fixture.

use crate::inspect::state::State as HeapState;
use crate::session::{DeviceInfo, StoredFile};
use p14p_protocol::msg::StoreStats;

/// The panes, in focus order (Tab goes to the next).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    /// Python on the device.
    #[default]
    Repl,
    /// The local folder against the device's store.
    Files,
    /// The heap, live.
    Heap,
    /// Board, store and link figures.
    Device,
}

impl Pane {
    /// The next pane in focus order.
    pub fn next(self) -> Pane {
        match self {
            Pane::Repl => Pane::Files,
            Pane::Files => Pane::Heap,
            Pane::Heap => Pane::Device,
            Pane::Device => Pane::Repl,
        }
    }

    /// The keys this pane takes, for the key bar.
    pub fn keys(self) -> &'static str {
        match self {
            Pane::Repl => {
                "Enter run · Tab complete · ↑↓ history · Ctrl-E paste · Ctrl-C interrupt · Ctrl-D quit"
            }
            Pane::Files => {
                "↑↓ select · s sync · a sync all · m push as main · d delete · v view · r refresh"
            }
            Pane::Heap => "g collect · r refresh",
            Pane::Device => "r refresh",
        }
    }
}

/// The REPL pane: what was printed, and the line being typed.
#[derive(Debug, Clone, Default)]
pub struct Repl {
    /// Output so far (program output, echoed inputs, errors), by line.
    pub lines: Vec<String>,
    /// The line being typed.
    pub input: String,
    /// `>>> ` or, inside a block, `... `.
    pub prompt: String,
    /// Inputs entered, oldest first.
    pub history: Vec<String>,
    /// Where Up/Down is in the history (`None`: the new line).
    pub recall: Option<usize>,
    /// An input is running on the device.
    pub busy: bool,
    /// The running input waits in `input()` for the line being typed.
    pub asked: bool,
}

impl Repl {
    /// The most lines kept.
    const KEEP: usize = 2000;

    /// Adds printed text (split into lines; a partial last line is
    /// continued by the next text).
    pub fn print(&mut self, text: &str) {
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            match self.lines.last_mut() {
                Some(last) if !last.ends_with('\n') => last.push_str(first),
                _ => self.lines.push(first.to_string()),
            }
        }
        for part in parts {
            if let Some(last) = self.lines.last_mut() {
                last.push('\n');
            }
            self.lines.push(part.to_string());
        }
        if self.lines.len() > Self::KEEP {
            self.lines.drain(..self.lines.len() - Self::KEEP);
        }
    }

    /// The lines to show, without their newlines (the empty partial line
    /// after a final newline left out).
    pub fn shown(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .lines
            .iter()
            .map(|l| l.strip_suffix('\n').unwrap_or(l))
            .collect();
        if self.lines.last().is_some_and(String::is_empty) {
            v.pop();
        }
        v
    }
}

/// How a local file and the device's copy compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// The device holds exactly what the local file stores as.
    Same,
    /// Both exist, with different contents.
    Differs,
    /// Only the local folder has it.
    LocalOnly,
    /// Only the device has it.
    DeviceOnly,
}

impl Compare {
    /// A short word for the table.
    pub fn word(self) -> &'static str {
        match self {
            Compare::Same => "same",
            Compare::Differs => "differs",
            Compare::LocalOnly => "local only",
            Compare::DeviceOnly => "device only",
        }
    }
}

/// One row of the files pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    /// The store name (`lib/util.py`).
    pub name: String,
    /// Local size (bytes as stored: a `.py`'s image), if local.
    pub local: Option<u32>,
    /// The device's copy, if any.
    pub device: Option<StoredFile>,
    /// How they compare.
    pub compare: Compare,
}

/// The files pane.
#[derive(Debug, Clone, Default)]
pub struct Files {
    /// The local folder, as given.
    pub dir: String,
    /// Rows, by name.
    pub rows: Vec<FileRow>,
    /// The selected row.
    pub selected: usize,
    /// A file being viewed: its title and text (`v`; any key closes it).
    pub view: Option<(String, String)>,
}

/// The device pane.
#[derive(Debug, Clone, Default)]
pub struct Device {
    /// The manifest.
    pub info: Option<DeviceInfo>,
    /// Store figures.
    pub store: Option<StoreStats>,
    /// Frames received, frames dropped, requests re-sent.
    pub link: (u64, u64, u64),
}

/// Everything on screen.
#[derive(Debug, Clone, Default)]
pub struct App {
    /// The port, as named.
    pub port: String,
    /// Which pane has the keys.
    pub focus: Pane,
    /// The REPL pane.
    pub repl: Repl,
    /// The heap pane (the inspector's state).
    pub heap: HeapState,
    /// The files pane.
    pub files: Files,
    /// The device pane.
    pub device: Device,
    /// A one-line message for the key bar.
    pub status: String,
}

/// The files pane's rows: each local file (store name, stored size and
/// CRC-32 as `sync` would store it) against the device's listing.
pub fn compare(local: &[(String, u32, u32)], device: &[StoredFile]) -> Vec<FileRow> {
    let mut rows: Vec<FileRow> = local
        .iter()
        .map(|(name, size, crc)| {
            let d = device.iter().find(|f| &f.name == name).cloned();
            let compare = match &d {
                None => Compare::LocalOnly,
                Some(f) if f.size == *size && f.crc == *crc => Compare::Same,
                Some(_) => Compare::Differs,
            };
            FileRow {
                name: name.clone(),
                local: Some(*size),
                device: d,
                compare,
            }
        })
        .collect();
    for f in device {
        if !local.iter().any(|(n, _, _)| n == &f.name) {
            rows.push(FileRow {
                name: f.name.clone(),
                local: None,
                device: Some(f.clone()),
                compare: Compare::DeviceOnly,
            });
        }
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}
