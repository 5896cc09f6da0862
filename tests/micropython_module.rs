//! `micropython`, whose behaviour only MicroPython defines: `const` is the
//! identity, `opt_level()` is 0 (images keep their asserts), and
//! `mem_info()` prints the collector's figures, which agree with `gc`'s.

use p14p_tests::run_sim;

#[test]
fn const_opt_level_and_mem_info() {
    let src = "import gc, micropython\n\
               from micropython import const\n\
               X = const(7)\n\
               print(X, const('s'), const(X + 1), micropython.opt_level())\n\
               micropython.mem_info()\n";
    let ran = run_sim(src, "mp.py");
    assert_eq!(ran.traceback, None);
    let mut lines = ran.stdout.lines();
    assert_eq!(lines.next(), Some("7 s 8 0"));
    let info = lines.next().expect("mem_info's line");
    let nums: Vec<u32> = info
        .strip_prefix("GC: total: ")
        .expect(info)
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(nums.len(), 3, "{info}");
    let (total, used, free) = (nums[0], nums[1], nums[2]);
    assert_eq!(total, used + free, "{info}");
    assert!(used > 0 && free > 0, "{info}");
    assert!(
        info.contains(", used: ") && info.contains(", free: "),
        "{info}"
    );
}
