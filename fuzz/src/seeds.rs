//! The seed corpus: valid inputs the mutators start from.
//!
//! Images come from the host's own compiler (`p14p::compile`, every
//! optional feature on) over `tests/conformance/*.py`, `examples/*.py` and
//! [`SNIPPETS`], which reach the opcodes the conformance programs use
//! least (comprehensions of every kind, closures, generators, `try`,
//! `with`, classes). Requests are one or more encodings of every
//! [`Command`] variant, with image chunks among the `LoadChunk`s.

use p14p::compile::{compile, Target};
use p14p_protocol::msg::{Command, FileKind, Request, Width};
use p14p_protocol::wire;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Small programs for the opcodes the conformance programs rarely reach.
pub const SNIPPETS: &[&str] = &[
    "s = [v for v in range(3)]\nprint(s)\n",
    "s = {v % 2 for v in range(5)}\nprint(sorted(s))\n",
    "d = {k: k * k for k in range(4)}\nprint(d)\n",
    "g = (x + 1 for x in [1, 2, 3])\nprint(list(g), tuple(g))\n",
    "a = [*range(3), *'ab']\nb = {*a}\nc = {**{'x': 1}, 'y': 2}\nprint(a, len(b), c)\n",
    "def f(*a, **k):\n    return a, k\nprint(f(*[1, 2], **{'z': 3}))\n",
    "def outer():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n        return n\n    return inc\ni = outer()\ni()\nprint(i())\n",
    "def gen(n):\n    for i in range(n):\n        x = yield i\n        if x:\n            return x\nprint(list(gen(4)))\ndef d():\n    yield from gen(2)\nprint(list(d()))\n",
    "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print('caught', e)\nfinally:\n    print('done')\n",
    "class C:\n    def __init__(self):\n        self.log = []\n    def __enter__(self):\n        return self\n    def __exit__(self, *a):\n        self.log.append(a[0])\n        return True\nwith C() as c:\n    raise ValueError\nprint(c.log)\n",
    "class A:\n    x = 1\n    def m(self, y=2, *, z=3):\n        return self.x + y + z\nclass B(A):\n    def __repr__(self):\n        return 'B'\nb = B()\nprint(b, b.m(), b.m(5, z=1))\n",
    "i = 0\nwhile True:\n    i += 1\n    if i > 50:\n        break\nprint(i, f'{i:>5}', '%d-%s' % (i, 'x'))\n",
    "x = 2 ** 100\nprint(x // 3, x % 7, -x, x.bit_length())\n",
    "a, *b, c = range(6)\nprint(a, b, c)\nprint([1, 2, 3][::-1], 'abc'[1:])\n",
    "def f(a, b=2, /, c=3):\n    return a + b + c\nprint(f(1), (lambda q: q * 2)(4))\nassert f(1) == 6, 'sum'\n",
];

/// The compiled seed images and encoded seed requests.
#[derive(Debug)]
pub struct Corpus {
    /// Valid images (each one verifies).
    pub images: Vec<Vec<u8>>,
    /// Valid request payloads (each one decodes).
    pub requests: Vec<Vec<u8>>,
}

/// The repository root (the fuzz crate's parent).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fuzz/ has a parent")
        .to_path_buf()
}

/// The `.py` files of `dir`, sorted (so the corpus order is stable).
fn py_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "py"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The corpus, built once per process.
pub fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(build)
}

/// Compiles every seed program (one that does not compile is skipped: the
/// corpus wants valid images, not compiler diagnostics).
pub fn seed_images() -> Vec<(String, Vec<u8>)> {
    let root = repo_root();
    let target = Target::full();
    let mut sources: Vec<(String, String)> = Vec::new();
    for dir in ["tests/conformance", "examples"] {
        for p in py_files(&root.join(dir)) {
            if let Ok(s) = std::fs::read_to_string(&p) {
                sources.push((p.display().to_string(), s));
            }
        }
    }
    for (i, s) in SNIPPETS.iter().enumerate() {
        sources.push((format!("snippet{i}"), s.to_string()));
    }
    sources
        .into_iter()
        .filter_map(|(name, src)| Some((name.clone(), compile(&src, &name, &target).ok()?.image)))
        .collect()
}

fn build() -> Corpus {
    let images: Vec<Vec<u8>> = seed_images().into_iter().map(|(_, i)| i).collect();
    assert!(!images.is_empty(), "no seed image compiled");
    let mut requests = Vec::new();
    for (seq, cmd) in sample_commands(&images).into_iter().enumerate() {
        requests.push(wire::to_vec(&Request {
            seq: seq as u16,
            cmd,
        }));
    }
    Corpus { images, requests }
}

/// One or more of every command, fields at ordinary and edge values.
fn sample_commands(images: &[Vec<u8>]) -> Vec<Command<'_>> {
    use Command::*;
    let img = &images[0];
    let mut v = vec![
        Hello { protocol: 1 },
        Ping,
        Reset,
        LoadBegin {
            len: img.len() as u32,
            hash: 0x1234_5678,
            name: None,
        },
        LoadBegin {
            len: u32::MAX,
            hash: 0,
            name: Some("mod"),
        },
        LoadEnd,
        Run { hash: 0xdead_beef },
        Interrupt,
        Peek {
            addr: 0x2000_0000,
            width: Width::U32,
            count: 4,
        },
        Poke {
            addr: 0x4000_0000,
            width: Width::U8,
            value: 0xFF,
        },
        HeapStats,
        Collect,
        StoreList { start: 0 },
        StoreBegin {
            name: "main.py",
            kind: FileKind::Data,
            len: 100,
            crc: 7,
        },
        StoreChunk {
            offset: 0,
            data: b"\0\x01\x02",
        },
        StoreCommit,
        StoreRead {
            name: "x",
            offset: 3,
            len: 64,
        },
        StoreRemove { name: "x" },
        StoreStats,
        SetMain { name: Some("app") },
        SetMain { name: None },
        HeapCensus { from: 0 },
        HeapWalk { from: 100 },
        HeapLargest { count: 5 },
        Expanded {
            text: b"ZeroDivisionError",
        },
    ];
    for image in images.iter().take(8) {
        for (i, chunk) in image.chunks(200).enumerate().take(3) {
            v.push(LoadChunk {
                offset: (i * 200) as u32,
                data: chunk,
            });
        }
    }
    v
}
