//! Type sizes that matter for the heap budget.

use p14p_device::heap::Value;

#[test]
fn value_is_one_word() {
    assert_eq!(core::mem::size_of::<Value>(), 4);
    assert_eq!(core::mem::align_of::<Value>(), 4);
}
