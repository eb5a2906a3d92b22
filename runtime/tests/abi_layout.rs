//! The JIT (in nerve-compiler, which cannot see this crate) mirrors the
//! mechanism ABI's byte layout as constants; this checks them against the
//! real structs, and runs one JIT kernel through a real `MechanismView`.

use std::mem::{offset_of, size_of};

use nerve_compiler::jit::{self, hh_example, layout::*};
use nerve_runtime::mechanism::{IonView, Kernel, MechanismView};

#[test]
fn mechanism_view_offsets_match_the_jit() {
    let fields = [
        ("count", offset_of!(MechanismView, count), VIEW_COUNT),
        ("stride", offset_of!(MechanismView, stride), VIEW_STRIDE),
        ("data", offset_of!(MechanismView, data), VIEW_DATA),
        (
            "node_index",
            offset_of!(MechanismView, node_index),
            VIEW_NODE_INDEX,
        ),
        (
            "node_count",
            offset_of!(MechanismView, node_count),
            VIEW_NODE_COUNT,
        ),
        ("v", offset_of!(MechanismView, v), VIEW_V),
        ("rhs", offset_of!(MechanismView, rhs), VIEW_RHS),
        ("d", offset_of!(MechanismView, d), VIEW_D),
        ("area", offset_of!(MechanismView, area), VIEW_AREA),
        ("ions", offset_of!(MechanismView, ions), VIEW_IONS),
        (
            "ion_count",
            offset_of!(MechanismView, ion_count),
            VIEW_ION_COUNT,
        ),
        ("globals", offset_of!(MechanismView, globals), VIEW_GLOBALS),
        ("t", offset_of!(MechanismView, t), VIEW_T),
        ("dt", offset_of!(MechanismView, dt), VIEW_DT),
        ("celsius", offset_of!(MechanismView, celsius), VIEW_CELSIUS),
        (
            "secondorder",
            offset_of!(MechanismView, secondorder),
            VIEW_SECONDORDER,
        ),
        ("diam", offset_of!(MechanismView, diam), VIEW_DIAM),
        ("host", offset_of!(MechanismView, host), VIEW_HOST),
        (
            "host_call",
            offset_of!(MechanismView, host_call),
            VIEW_HOST_CALL,
        ),
        (
            "pointers",
            offset_of!(MechanismView, pointers),
            VIEW_POINTERS,
        ),
    ];
    for (name, real, mirrored) in fields {
        assert_eq!(real, mirrored as usize, "MechanismView::{name}");
    }
    assert_eq!(size_of::<MechanismView>(), VIEW_SIZE);
    // the JIT reads host_call as a plain pointer: null means None
    assert_eq!(size_of::<Option<nerve_runtime::mechanism::HostCall>>(), 8);
}

#[test]
fn ion_view_offsets_match_the_jit() {
    assert_eq!(offset_of!(IonView, data), ION_DATA as usize);
    assert_eq!(offset_of!(IonView, stride), ION_STRIDE as usize);
    assert_eq!(offset_of!(IonView, index), ION_INDEX as usize);
    assert_eq!(size_of::<IonView>(), ION_VIEW_SIZE);
}

#[test]
fn a_jit_kernel_runs_through_the_runtime_types() {
    use hh_example::slot;
    let ir = hh_example::hh_ir();
    let compiled = jit::compile(&ir).unwrap();
    // SAFETY: the JIT's KernelFn and the runtime's Kernel are both
    // `unsafe extern "C" fn(*const _)`, differing only in the pointee type.
    let jacob: Kernel = unsafe { std::mem::transmute(compiled.kernels().jacob.unwrap()) };
    let count = 3;
    let mut data = vec![0.0; slot::COUNT * count];
    for i in 0..count {
        data[slot::G * count + i] = 0.5 * (i + 1) as f64;
    }
    let node_index = [2u32, 0, 1];
    let mut d = vec![10.0; 3];
    let view = MechanismView {
        count,
        stride: count,
        data: data.as_mut_ptr(),
        node_index: node_index.as_ptr(),
        node_count: 3,
        d: d.as_mut_ptr(),
        ..MechanismView::empty()
    };
    unsafe { jacob(&view) };
    assert_eq!(d, vec![11.0, 11.5, 10.5]);
}
