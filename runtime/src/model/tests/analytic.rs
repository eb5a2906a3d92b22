//! The solver against analytic solutions, with the Rust `pas` and
//! `TestIClamp` test mechanisms: the steady state of a sealed-end cable
//! (cosh profile) and the charging curve of an isopotential cell.

use super::*;
use crate::mechanism::testing::{iclamp_spec, pas_spec};

struct Setup {
    m: Model,
    pas: MechTypeId,
    icl: MechTypeId,
}

fn setup() -> Setup {
    let mut m = Model::new();
    // SAFETY: the test kernels keep to the ABI contract.
    let pas = unsafe { m.register_mechanism(pas_spec()) }.unwrap();
    let icl = unsafe { m.register_mechanism(iclamp_spec()) }.unwrap();
    Setup { m, pas, icl }
}

fn slot(m: &Model, t: MechTypeId, f: &str) -> usize {
    m.mechanism_spec(t).unwrap().field_slot(f).unwrap().0
}

fn clamp(s: &mut Setup, sec: SectionId, x: f64, del: f64, dur: f64, amp: f64) {
    let st = s.m.new_point_process(s.icl, sec, x).unwrap();
    for (f, v) in [("del", del), ("dur", dur), ("amp", amp)] {
        let r = s.m.point_var_ref(st, slot(&s.m, s.icl, f)).unwrap();
        s.m.set(r, v).unwrap();
    }
}

/// A sealed-end cable with current I injected at x = 0 settles to
/// V(x) - E = I·r_a·λ·cosh((L - x)/λ) / sinh(L/λ).
#[test]
fn sealed_end_cable_steady_state_is_cosh() {
    let mut s = setup();
    let (l, d, ra, g, e, amp) = (1000.0, 2.0, 100.0, 1e-4, -65.0, 0.1);
    let nseg = 2001;
    let c = s.m.new_section("cable");
    s.m.set_length(c, l).unwrap();
    s.m.set_diam_all(c, d).unwrap();
    s.m.set_ra(c, ra).unwrap();
    s.m.set_nseg(c, nseg).unwrap();
    s.m.insert(c, s.pas).unwrap();
    s.m.set_mech_all(c, s.pas, slot(&s.m, s.pas, "g"), g)
        .unwrap();
    s.m.set_mech_all(c, s.pas, slot(&s.m, s.pas, "e"), e)
        .unwrap();
    clamp(&mut s, c, 0.0, 0.0, 1e9, amp);
    // backward Euler with huge steps converges to the discrete steady state
    s.m.set_dt(100.0).unwrap();
    s.m.finitialize(Some(e)).unwrap();
    for _ in 0..40 {
        s.m.fadvance().unwrap();
    }
    // in cm, Ω·cm, S/cm², A
    let (lc, dc) = (l * 1e-4, d * 1e-4);
    let lambda = (dc / (4.0 * ra * g)).sqrt();
    let r_a = 4.0 * ra / (std::f64::consts::PI * dc * dc);
    let i = amp * 1e-9;
    let mut worst: f64 = 0.0;
    for k in 0..=20 {
        let x = k as f64 / 20.0;
        // node positions: the ends, or segment centers
        let xn = if x == 0.0 || x == 1.0 {
            x
        } else {
            let j = ((x * nseg as f64) as i64).min(nseg - 1);
            (j as f64 + 0.5) / nseg as f64
        };
        let want = 1e3 * i * r_a * lambda * ((lc - xn * lc) / lambda).cosh() / (lc / lambda).sinh();
        let got = s.m.v(c, xn).unwrap() - e;
        worst = worst.max(((got - want) / want).abs());
    }
    assert!(worst < 1e-6, "worst relative error {worst:e}");
}

/// An isopotential cell charged by a step of current I from t = 0:
/// V(t) - E = I·R·(1 - exp(-t/τ)), R = 1/(g·area), τ = cm/g.
#[test]
fn isopotential_cell_charging_curve() {
    let mut s = setup();
    let (g, e, amp, cm) = (1e-4, -70.0, 0.01, 1.0);
    let c = s.m.new_section("soma");
    s.m.set_length(c, 10.0).unwrap();
    s.m.set_diam_all(c, 10.0).unwrap();
    s.m.insert(c, s.pas).unwrap();
    s.m.set_mech_all(c, s.pas, slot(&s.m, s.pas, "g"), g)
        .unwrap();
    s.m.set_mech_all(c, s.pas, slot(&s.m, s.pas, "e"), e)
        .unwrap();
    clamp(&mut s, c, 0.5, 0.0, 1e9, amp);
    s.m.set_secondorder(1);
    s.m.set_dt(0.005).unwrap();
    s.m.finitialize(Some(e)).unwrap();
    let area_cm2 = s.m.area(c, 0.5).unwrap() * 1e-8;
    let r = 1.0 / (g * area_cm2); // Ω
    let tau = cm * 1e-3 / g; // ms (µF/cm² / S/cm² = µs)
    let mut worst: f64 = 0.0;
    for step in 1..=4000 {
        s.m.fadvance().unwrap();
        if step % 200 == 0 {
            let t = s.m.t();
            let want = amp * 1e-9 * r * 1e3 * (1.0 - (-t / tau).exp());
            let got = s.m.v(c, 0.5).unwrap() - e;
            worst = worst.max(((got - want) / want).abs());
        }
    }
    assert!(worst < 1e-6, "worst relative error {worst:e}");
}

#[test]
fn nan_voltage_names_time_section_and_position() {
    let mut s = setup();
    let c = s.m.new_section("bad");
    s.m.insert(c, s.pas).unwrap();
    s.m.finitialize(Some(-65.0)).unwrap();
    let r =
        s.m.var_ref(
            c,
            0.5,
            RangeVar::Mech {
                mech: s.pas,
                slot: slot(&s.m, s.pas, "e"),
            },
        )
        .unwrap();
    s.m.set(r, f64::NAN).unwrap();
    let err = s.m.fadvance().unwrap_err();
    match err {
        ModelError::NonFinite { t, section, x, .. } => {
            assert_eq!(t, 0.025);
            assert_eq!(section, "bad");
            assert!((0.0..=1.0).contains(&x));
        }
        e => panic!("{e}"),
    }
}

#[test]
fn zero_area_nodes_follow_and_t_advances_in_half_steps() {
    let mut s = setup();
    let c = s.m.new_section("soma");
    s.m.insert(c, s.pas).unwrap();
    s.m.finitialize(Some(-65.0)).unwrap();
    let mut t = 0.0;
    for _ in 0..10 {
        s.m.fadvance().unwrap();
        t += 0.5 * 0.025;
        t += 0.5 * 0.025;
        assert_eq!(s.m.t(), t);
    }
    let vc = s.m.v(c, 0.5).unwrap();
    assert_eq!(s.m.v(c, 0.0).unwrap(), vc);
    assert_eq!(s.m.v(c, 1.0).unwrap(), vc);
}
