//! The byte layout of the runtime's mechanism ABI (`MechanismView`,
//! `IonView` in `runtime/src/mechanism/abi.rs`), mirrored as constants because
//! the compiler crate cannot depend on the runtime. The runtime's
//! `tests/abi_layout.rs` asserts that `std::mem::offset_of!` agrees with every
//! constant here, so a change to the ABI that is not mirrored fails a test
//! instead of corrupting memory.
//!
//! Only 64-bit targets are supported (pointers and `usize` are 8 bytes); the
//! JIT refuses to compile for anything else.

/// `MechanismView::count` (usize)
pub const VIEW_COUNT: i32 = 0;
/// `MechanismView::stride` (usize)
pub const VIEW_STRIDE: i32 = 8;
/// `MechanismView::data` (*mut f64)
pub const VIEW_DATA: i32 = 16;
/// `MechanismView::node_index` (*const u32)
pub const VIEW_NODE_INDEX: i32 = 24;
/// `MechanismView::node_count` (usize)
pub const VIEW_NODE_COUNT: i32 = 32;
/// `MechanismView::v` (*const f64)
pub const VIEW_V: i32 = 40;
/// `MechanismView::rhs` (*mut f64)
pub const VIEW_RHS: i32 = 48;
/// `MechanismView::d` (*mut f64)
pub const VIEW_D: i32 = 56;
/// `MechanismView::area` (*const f64)
pub const VIEW_AREA: i32 = 64;
/// `MechanismView::ions` (*const IonView)
pub const VIEW_IONS: i32 = 72;
/// `MechanismView::ion_count` (usize)
pub const VIEW_ION_COUNT: i32 = 80;
/// `MechanismView::globals` (*mut f64)
pub const VIEW_GLOBALS: i32 = 88;
/// `MechanismView::t` (f64)
pub const VIEW_T: i32 = 96;
/// `MechanismView::dt` (f64)
pub const VIEW_DT: i32 = 104;
/// `MechanismView::celsius` (f64)
pub const VIEW_CELSIUS: i32 = 112;
/// `MechanismView::secondorder` (i32)
pub const VIEW_SECONDORDER: i32 = 120;
/// `MechanismView::diam` (*const f64)
pub const VIEW_DIAM: i32 = 128;
/// `MechanismView::host` (*mut c_void)
pub const VIEW_HOST: i32 = 136;
/// `MechanismView::host_call` (Option<HostCall>, a nullable function pointer)
pub const VIEW_HOST_CALL: i32 = 144;
/// `MechanismView::pointers` (*const *mut f64)
pub const VIEW_POINTERS: i32 = 152;
/// `size_of::<MechanismView>()`
pub const VIEW_SIZE: usize = 160;

/// `IonView::data` (*mut f64)
pub const ION_DATA: i32 = 0;
/// `IonView::stride` (usize)
pub const ION_STRIDE: i32 = 8;
/// `IonView::index` (*const u32)
pub const ION_INDEX: i32 = 16;
/// `size_of::<IonView>()`
pub const ION_VIEW_SIZE: usize = 24;

/// Field numbers inside an ion's instance data (`IonField` order).
pub const ION_FIELD_EREV: usize = 0;
/// inside concentration
pub const ION_FIELD_CONC_IN: usize = 1;
/// outside concentration
pub const ION_FIELD_CONC_OUT: usize = 2;
/// total current
pub const ION_FIELD_CURRENT: usize = 3;
/// d(current)/dv
pub const ION_FIELD_DCURRENT_DV: usize = 4;
