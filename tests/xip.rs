//! Stored images execute in place: `import` of a module from the store (and
//! the boot main) runs its bytecode from the flash view without copying it
//! into the heap; the store pins what runs, so re-pushing an imported
//! module never changes bytes under it (see `device/src/vm/image.rs`).
//!
//! The VM alone over a flash view, then the whole path: `p14p push` and
//! `p14p run` on the simulator and on `p14p-device --pty --store FILE`.

use p14p::compile;
use p14p_device::machine::StoredImage;
use p14p_device::vm::{Vm, VmConfig};
use p14p_device::{Host, Machine, RunOutcome};
use p14p_protocol::msg::{DeviceError, Width};
use p14p_tests::{
    p14p_with_store as p14p, power_cuts, pty_device_with_store_args, sim_target,
    stdout_of_success as ok, Found,
};
use std::path::Path;
use std::time::Duration;

/// A small heap: the module below is more than a quarter of it.
const HEAP: usize = 12 * 1024;

/// Lines of arithmetic in [`big_module`]'s one function.
const LINES: u32 = 270;

/// A module whose image is about 3.4 KiB of bytecode (more than a quarter
/// of [`HEAP`], less than a 4 KiB store page) but whose objects are few:
/// one function, and a `VERSION` to tell pushes apart.
fn big_module(version: u32) -> String {
    module_of(version, LINES)
}

/// Lines in [`huge_module`]'s function: an image of about 6 KiB, larger
/// than a 4 KiB store page.
const HUGE_LINES: u32 = 480;

/// A module larger than a store page: it runs in place from a span.
fn huge_module(version: u32) -> String {
    module_of(version, HUGE_LINES)
}

fn module_of(version: u32, lines: u32) -> String {
    let mut s = format!("VERSION = {version}\ndef check():\n    t = VERSION\n");
    for i in 0..lines {
        s += &format!("    t = (t * 3 + {i}) % 1000\n");
    }
    s += "    return t\n";
    s
}

/// What `big_module(version).check()` returns.
fn check_value(version: u32) -> u32 {
    check_value_of(version, LINES)
}

fn check_value_of(version: u32, lines: u32) -> u32 {
    (0..lines).fold(version, |t, i| (t * 3 + i) % 1000)
}

fn image_of(source: &str, name: &str) -> Vec<u8> {
    compile::compile(source, name, &sim_target())
        .unwrap_or_else(|_| panic!("{name} compiles"))
        .image
}

/// Prints what `import big` cost the heap, then the module's answer.
const MAIN: &str = "\
import gc
gc.collect()
before = gc.mem_alloc()
import big
gc.collect()
print(gc.mem_alloc() - before)
print(big.check())
";

/// A host whose store holds one image, `big.py`, at `addr` of the view.
struct OneStored {
    addr: u32,
    len: u32,
    pins: Vec<(u32, u32)>,
    out: Vec<u8>,
}

impl Host for OneStored {
    fn output(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }
    fn poll_interrupt(&mut self) -> bool {
        false
    }
    fn ticks_ms(&mut self) -> u32 {
        0
    }
    fn mem_read(&mut self, _: u32, _: Width) -> Result<u32, DeviceError> {
        Err(DeviceError::BadAddress)
    }
    fn mem_write(&mut self, _: u32, _: Width, _: u32) -> Result<(), DeviceError> {
        Err(DeviceError::BadAddress)
    }
    fn stored_image(&mut self, name: &[u8]) -> Option<StoredImage> {
        (name == b"big.py").then_some(StoredImage {
            len: self.len,
            flash: Some(self.addr),
        })
    }
    fn pin_flash(&mut self, addr: u32, len: u32) {
        self.pins.push((addr, len));
    }
}

#[test]
fn the_vm_imports_a_module_from_its_flash_view_without_copying_it() {
    let big = image_of(&big_module(1), "big.py");
    assert!(big.len() > HEAP / 4, "the module is {} bytes", big.len());
    // The image at an odd place in a larger "flash".
    let addr = 1001u32;
    let mut flash = vec![0xFFu8; 8192];
    flash[addr as usize..addr as usize + big.len()].copy_from_slice(&big);
    let mut arena = vec![0u32; HEAP / 4];
    let mut vm = Vm::new(&mut arena, VmConfig::default()).with_flash(&flash);
    let main = compile::compile(MAIN, "main.py", &sim_target()).unwrap();
    vm.image_begin(main.image.len() as u32, main.hash, None)
        .unwrap();
    vm.image_write(0, &main.image).unwrap();
    let hash = vm.image_end().unwrap();
    let mut host = OneStored {
        addr,
        len: big.len() as u32,
        pins: Vec::new(),
        out: Vec::new(),
    };
    let outcome = vm.run(hash, &mut host).unwrap();
    let out = String::from_utf8_lossy(&host.out).into_owned();
    assert_eq!(outcome, RunOutcome::Done, "{out}");
    let out_lines: Vec<&str> = out.lines().collect();
    let grew: usize = out_lines[0].parse().unwrap();
    assert!(
        grew < big.len() / 2,
        "import grew the heap by {grew} bytes for a {}-byte image",
        big.len()
    );
    assert_eq!(out_lines[1], check_value(1).to_string());
    assert_eq!(host.pins, vec![(addr, big.len() as u32)]);
    // The link pins that range while the module is referenced, and the
    // bytes of the module's strs live objects hold (its globals' names),
    // all within it...
    let mut pins = Vec::new();
    vm.flash_pins(&mut |a, l| pins.push((a, l)));
    assert!(pins.contains(&(addr, big.len() as u32)), "{pins:?}");
    let end = addr + big.len() as u32;
    assert!(
        pins.iter().all(|&(a, l)| a >= addr && a + l <= end),
        "{pins:?}"
    );
    // ...and nothing once a reset dropped it.
    vm.reset();
    let mut pins = Vec::new();
    vm.flash_pins(&mut |a, l| pins.push((a, l)));
    assert!(pins.is_empty());
}

#[test]
fn an_image_in_flash_is_verified_before_it_runs() {
    let mut big = image_of(&big_module(1), "big.py");
    // Corrupt one byte: the image hash no longer matches.
    let last = big.len() - 1;
    big[last] ^= 0x55;
    let mut arena = vec![0u32; HEAP / 4];
    let mut vm = Vm::new(&mut arena, VmConfig::default()).with_flash(&big);
    let r = vm.image_in_place(0, big.len() as u32, Some("big"));
    assert!(r.is_err(), "a corrupt image was accepted: {r:?}");
    // Outside the view.
    let r = vm.image_in_place(16, big.len() as u32, Some("big"));
    assert_eq!(r, Err(DeviceError::BadAddress));
}

/// A `p14p-device` child, killed when the test ends (passing or not).
struct Dev(std::process::Child);

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `p14p-device --pty --store FILE ARGS…`; returns it and its pty.
fn device(store: &Path, args: &[&str]) -> (Dev, String) {
    let (child, pty) = pty_device_with_store_args(store, args);
    (Dev(child), pty)
}

fn tmp(name: &str) -> std::path::PathBuf {
    p14p_tests::scratch_dir("xip", name)
}

/// Pushes `big.py`, runs [`MAIN`] (in another folder, so `big` comes from
/// the store) on `port` (`None`: the simulator with a `HEAP` heap), and
/// checks the module ran from flash.
fn push_then_import(dir: &Path, store: &Path, port: Option<&str>) {
    push_then_import_lines(dir, store, port, LINES);
}

/// [`push_then_import`] of a module with `lines` lines of arithmetic.
fn push_then_import_lines(dir: &Path, store: &Path, port: Option<&str>, lines: u32) {
    let big = dir.join("big.py");
    std::fs::write(&big, module_of(1, lines)).unwrap();
    let image = image_of(&module_of(1, lines), "big.py");
    assert!(image.len() > HEAP / 4);
    let run_dir = dir.join("app");
    std::fs::create_dir_all(&run_dir).unwrap();
    let main = run_dir.join("main.py");
    std::fs::write(&main, MAIN).unwrap();
    let heap = HEAP.to_string();
    let with_port = |args: &[&str]| {
        let mut v: Vec<&str> = args.to_vec();
        match port {
            Some(p) => v.extend(["-p", p]),
            None => v.extend(["--heap", &heap]),
        }
        p14p(&v, store)
    };
    ok(&with_port(&["push", big.to_str().unwrap()]));
    let out = ok(&with_port(&["run", main.to_str().unwrap()]));
    let out_lines: Vec<&str> = out.lines().collect();
    let grew: usize = out_lines[0].parse().unwrap();
    assert!(
        grew < image.len() / 2,
        "import grew the heap by {grew} bytes for a {}-byte image: {out}",
        image.len()
    );
    assert_eq!(out_lines[1], check_value_of(1, lines).to_string(), "{out}");
}

#[test]
fn a_pushed_module_runs_in_place_on_the_simulator() {
    let dir = tmp("sim");
    push_then_import(&dir, &dir.join("flash.bin"), None);
}

#[test]
fn a_pushed_module_runs_in_place_on_a_pty_device() {
    let dir = tmp("pty");
    let store = dir.join("flash.bin");
    let heap = HEAP.to_string();
    let (_dev, pty) = device(&store, &["--heap", &heap]);
    push_then_import(&dir, &store, Some(&pty));
}

#[test]
fn a_module_larger_than_a_page_runs_in_place_on_the_simulator() {
    let dir = tmp("sim-span");
    assert!(image_of(&huge_module(1), "big.py").len() > 4096);
    push_then_import_lines(&dir, &dir.join("flash.bin"), None, HUGE_LINES);
}

#[test]
fn a_module_larger_than_a_page_runs_in_place_on_a_pty_device() {
    let dir = tmp("pty-span");
    let store = dir.join("flash.bin");
    let heap = HEAP.to_string();
    let (_dev, pty) = device(&store, &["--heap", &heap]);
    push_then_import_lines(&dir, &store, Some(&pty), HUGE_LINES);
}

/// Lines in [`board_module`]'s function: an image of about 6.3 KiB, a span
/// of seven of the lm3s6965 store's sixteen 1 KiB pages (the most it can
/// move: `2k + 2` pages).
const BOARD_LINES: u32 = 530;

/// The lm3s6965 store's geometry on a pty device: the largest image the
/// board runs in place (the board itself runs `tests/xip` in CI).
#[test]
fn a_module_of_seven_pages_runs_in_place_on_the_board_store_geometry() {
    let dir = tmp("pty-board");
    let store = dir.join("flash.bin");
    let image = image_of(&module_of(1, BOARD_LINES), "big.py");
    assert!(image.len() > 6 * 1024, "{} bytes", image.len());
    let heap = HEAP.to_string();
    let args = ["--heap", &heap, "--page-size", "1024", "--pages", "16"];
    let (_dev, pty) = device(&store, &args);
    push_then_import_lines(&dir, &store, Some(&pty), BOARD_LINES);
}

/// The pinning rule end to end: a boot main imports `big` in place; a
/// re-push of `big` goes to fresh flash and the running copy is untouched;
/// a push that could only make room by erasing the pinned page is refused
/// with `InUse` and changes nothing; `p14p run` (a reset) releases it.
#[test]
fn re_pushing_an_imported_module_never_erases_what_runs() {
    let dir = tmp("repush");
    let store = dir.join("flash.bin");
    // Four 4 KiB pages: two for files, one for the log head, one reserve.
    let geometry = ["--heap", "16384", "--page-size", "4096", "--pages", "4"];
    let big = dir.join("big.py");
    let app = dir.join("app.py");
    std::fs::write(
        &app,
        "import big, machine\nmachine.mem8[0x40001000] = big.VERSION\n",
    )
    .unwrap();
    let peek = |pty: &str| {
        ok(&p14p(
            &["peek", "0x40001000", "--width", "8", "-p", pty],
            &store,
        ))
    };
    let (dev, pty) = device(&store, &geometry);
    std::fs::write(&big, big_module(1)).unwrap();
    ok(&p14p(&["push", big.to_str().unwrap(), "-p", &pty], &store));
    ok(&p14p(
        &["push", "--main", app.to_str().unwrap(), "-p", &pty],
        &store,
    ));
    drop(dev);
    // Restarted, with no host in the grace period: main runs and imports
    // big (version 1) in place; both stay referenced (pinned) afterwards.
    let (_dev, pty) = device(&store, &geometry);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(peek(&pty).contains("0x01"), "main ran big 1 at boot");
    // Versions 2 and 3 fit in fresh flash: accepted; nothing that runs
    // moved.
    for v in [2, 3] {
        std::fs::write(&big, big_module(v)).unwrap();
        ok(&p14p(&["push", big.to_str().unwrap(), "-p", &pty], &store));
    }
    assert!(peek(&pty).contains("0x01"), "untouched");
    // Version 4 could only get room by collecting the oldest page, which
    // holds the running version 1: refused, the store keeps version 3.
    std::fs::write(&big, big_module(4)).unwrap();
    let refused = p14p(&["push", big.to_str().unwrap(), "-p", &pty], &store);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "the push was refused");
    assert!(err.contains("in place"), "{err}");
    let run_dir = dir.join("run");
    std::fs::create_dir_all(&run_dir).unwrap();
    let check = run_dir.join("check.py");
    std::fs::write(&check, "import big\nprint(big.VERSION, big.check())\n").unwrap();
    // `p14p run` resets the device (releasing version 1) and imports the
    // stored version 3.
    let out = ok(&p14p(&["run", check.to_str().unwrap(), "-p", &pty], &store));
    assert_eq!(out.trim(), format!("3 {}", check_value(3)));
    // Now version 4 goes through, and runs.
    ok(&p14p(&["push", big.to_str().unwrap(), "-p", &pty], &store));
    let out = ok(&p14p(&["run", check.to_str().unwrap(), "-p", &pty], &store));
    assert_eq!(out.trim(), format!("4 {}", check_value(4)));
}

/// Power-safety of module images that span pages: `p14p push` of a
/// multi-page module, the device's power cut at points chosen from the
/// store's own write steps, from the first to the last of the push. After
/// every cut the store mounts and `import big` runs one whole version, old
/// or new, in place: never a torn image (the loader verifies every image,
/// so a torn one would fail to import rather than run wrongly; the test
/// requires that it imports).
fn cut_pushes_leave_a_whole_module(name: &str, geometry: &[&str], lines: u32) {
    let dir = tmp(name);
    let store = dir.join("flash.bin");
    let base = dir.join("base.bin");
    let big = dir.join("big.py");
    let run_dir = dir.join("run");
    std::fs::create_dir_all(&run_dir).unwrap();
    let check = run_dir.join("check.py");
    std::fs::write(&check, "import big\nprint(big.VERSION, big.check())\n").unwrap();
    let image = image_of(&module_of(1, lines), "big.py");
    let page: usize = geometry
        .iter()
        .position(|a| *a == "--page-size")
        .map_or(4096, |i| geometry[i + 1].parse().unwrap());
    assert!(image.len() > page, "{} bytes span pages", image.len());
    {
        let (_dev, pty) = device(&store, geometry);
        std::fs::write(&big, module_of(1, lines)).unwrap();
        ok(&p14p(&["push", big.to_str().unwrap(), "-p", &pty], &store));
    }
    std::fs::copy(&store, &base).unwrap();
    std::fs::write(&big, module_of(2, lines)).unwrap();
    let expect = |v: u32| format!("{v} {}", check_value_of(v, lines));
    let report = power_cuts(
        &base,
        &store,
        geometry,
        |pty| p14p(&["push", big.to_str().unwrap(), "-p", pty], &store),
        |pty| {
            let out = ok(&p14p(&["run", check.to_str().unwrap(), "-p", pty], &store));
            let out = out.trim();
            ok(&p14p(&["ls", "-p", pty], &store));
            if out == expect(1) {
                Found::Old
            } else if out == expect(2) {
                Found::New
            } else {
                panic!("`{out}` is neither version 1 nor 2")
            }
        },
    );
    eprintln!("{name}: {report:?}");
    assert!(report.steps > 1, "{report:?}");
    assert!(report.old > 0, "no cut kept the old module: {report:?}");
    assert!(
        report.new_after_cut + report.uncut > 0,
        "the new module was never seen: {report:?}"
    );
}

#[test]
fn a_power_cut_mid_push_of_a_multi_page_module_leaves_old_or_new() {
    cut_pushes_leave_a_whole_module("kill-span", &["--heap", "16384"], HUGE_LINES);
}

#[test]
fn a_power_cut_mid_push_on_the_board_store_geometry_leaves_old_or_new() {
    let geometry = ["--heap", "16384", "--page-size", "1024", "--pages", "16"];
    cut_pushes_leave_a_whole_module("kill-board", &geometry, 150);
}

/// A stored module whose names and strings are used where they lie
/// (image strs, `device/src/heap/value.rs`): read, hashed, compared, used
/// as dict keys and attribute names, concatenated, sliced, formatted,
/// kept across collections, from a program in the heap.
const STRS_MODULE: &str = "\
NAME = 'h\u{e9}llo w\u{f6}rld'
KEY = 'spam'
NUM = '12345678901234567890'
D = {'spam': 1, 'eggs': 2}
class C:
    attr = 'classattr'
    def __init__(self):
        self.field = 'inst'
def kw(**k):
    return sorted(k)
def empty():
    return ''
";

/// The program: what it prints is checked against CPython's.
const STRS_MAIN: &str = "\
import gc
import big
gc.collect()
s = big.NAME
print(s, len(s), s[1], s[1:4], s[::-1], s[::2], repr(s), ascii(s) if 0 else 1)
print(s + '!', big.KEY * 3, big.KEY.upper(), s.split(' '), s.find('w'), s.replace('l', 'L'))
k = 'sp' + 'am'
print(hash(big.KEY) == hash(k), big.KEY == k, big.KEY is big.KEY, big.KEY != 'eggs')
d = {}
d[big.KEY] = 5
print(d[k], big.D[k], k in big.D, 'eggs' in big.D, sorted(big.D), big.D.get(big.KEY))
print(big.kw(a=1, bb=2), big.C.attr, big.C().field, getattr(big, k.upper().lower() and 'KEY'))
print([c for c in big.KEY], str(big.KEY), '%s-%r' % (big.KEY, big.KEY), '{}|{:>6}|{!r}'.format(big.KEY, big.KEY, big.KEY))
print(f'{big.KEY}:{big.KEY:^8}', int(big.NUM) + 1, big.KEY.encode(), bool(big.KEY), bool(big.empty()))
print(big.KEY < 'zz', big.KEY in 'a spam b', 'pa' in big.KEY, big.KEY.startswith('sp'), big.KEY.center(9, '*'))
print(big.KEY.join(['<', '>']), ','.join([big.KEY, big.KEY]), tuple(big.KEY), set([big.KEY, k]) == {k})
junk = []
for i in range(200):
    junk.append([i, str(i)])
    if i % 50 == 0:
        junk = []
        gc.collect()
print(s, big.KEY, d, big.D)
";

/// A host whose store holds `big.py` at `addr`, and whose output is kept.
fn run_stored(module: &str, main: &str) -> (String, Vec<(u32, u32)>, usize) {
    let big = image_of(module, "big.py");
    let addr = 1001u32;
    let mut flash = vec![0xFFu8; 8192];
    flash[addr as usize..addr as usize + big.len()].copy_from_slice(&big);
    let mut arena = vec![0u32; HEAP / 4];
    let mut vm = Vm::new(&mut arena, VmConfig::default()).with_flash(&flash);
    let main = compile::compile(main, "main.py", &sim_target()).unwrap();
    vm.image_begin(main.image.len() as u32, main.hash, None)
        .unwrap();
    vm.image_write(0, &main.image).unwrap();
    let hash = vm.image_end().unwrap();
    let mut host = OneStored {
        addr,
        len: big.len() as u32,
        pins: Vec::new(),
        out: Vec::new(),
    };
    let outcome = vm.run(hash, &mut host).unwrap();
    let out = String::from_utf8_lossy(&host.out).into_owned();
    assert_eq!(outcome, RunOutcome::Done, "{out}");
    let mut pins = Vec::new();
    vm.flash_pins(&mut |a, l| pins.push((a, l)));
    (out, pins, big.len())
}

/// What CPython prints for `main` importing `module` as `big`.
fn cpython(name: &str, module: &str, main: &str) -> String {
    let dir = tmp(name);
    std::fs::write(dir.join("big.py"), module).unwrap();
    std::fs::write(dir.join("main.py"), main).unwrap();
    let out = std::process::Command::new("python3")
        .arg("main.py")
        .current_dir(&dir)
        .output()
        .expect("python3 (CPython 3.11) produces the expected output");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_stored_modules_strs_are_used_in_flash_as_any_str() {
    let (out, _, _) = run_stored(STRS_MODULE, STRS_MAIN);
    assert_eq!(out, cpython("strs", STRS_MODULE, STRS_MAIN));
}

/// Imports `big`, keeps one of its strs, and reports the heap `import`
/// took; the module's image stays referenced by the registry.
const KEEP_MAIN: &str = "\
import gc
gc.collect()
before = gc.mem_alloc()
import big
gc.collect()
print(gc.mem_alloc() - before)
kept = [big.KEY]
";

#[test]
fn a_stored_modules_strs_take_no_heap_and_pin_their_bytes() {
    // 40 names and 40 strs, short or 20 bytes long: copied into the heap,
    // the long ones would take 40 * 2 * 16 bytes more than the short.
    let module_of = |long: bool| {
        let mut module = String::new();
        for i in 0..40 {
            if long {
                module += &format!("name_number_{i:08} = 'string_number_{i:06}'\n");
            } else {
                module += &format!("n{i:02} = 's{i:02}'\n");
            }
        }
        module + "KEY = 'spam'\n"
    };
    let (short, _, _) = run_stored(&module_of(false), KEEP_MAIN);
    let (long, pins, len) = run_stored(&module_of(true), KEEP_MAIN);
    assert_eq!(
        short, long,
        "the heap an import took depends on its strs' lengths"
    );
    // The image's range is pinned, and the kept str's bytes lie in it
    // (pinned themselves: a str may outlive its image).
    assert!(pins.contains(&(1001, len as u32)), "{pins:?}");
    assert!(
        pins.iter()
            .any(|&(a, l)| l == 4 && a > 1001 && a + l <= 1001 + len as u32),
        "{pins:?}"
    );
}
