//! Areas, axial resistances and diameters against NEURON 9.0.2: cylinders,
//! tapered segments, 3-D frusta (with a repeated point and a spine) and a 3-D
//! section connected by its 1 end. The literals were printed by
//! `runtime/tests/data/geometry.hoc` (its output is `geometry.txt` beside it).

use super::*;

/// `nrniv -nobanner geometry.hoc`
const NEURON: &[(&str, f64)] = &[
    ("soma.area(0)", 1256.6370614359173),
    ("soma.ri(0)", 0.01126816997090619),
    ("soma.diam(0)", 20.0),
    ("soma.ri(end)", 0.01126816997090619),
    ("soma.L", 20.0),
    ("dend.area(0)", 251.32741228718345),
    ("dend.ri(0)", 6.366197723675814),
    ("dend.diam(0)", 2.0),
    ("dend.area(1)", 251.32741228718345),
    ("dend.ri(1)", 12.732395447351628),
    ("dend.diam(1)", 2.0),
    ("dend.area(2)", 251.32741228718345),
    ("dend.ri(2)", 12.732395447351628),
    ("dend.diam(2)", 2.0),
    ("dend.area(3)", 251.32741228718345),
    ("dend.ri(3)", 12.732395447351628),
    ("dend.diam(3)", 2.0),
    ("dend.area(4)", 251.32741228718345),
    ("dend.ri(4)", 12.732395447351628),
    ("dend.diam(4)", 2.0),
    ("dend.ri(end)", 6.366197723675814),
    ("dend.L", 200.0),
    ("taper.area(0)", 323.9767424014474),
    ("taper.ri(0)", 2.525433807739166),
    ("taper.diam(0)", 2.75),
    ("taper.area(1)", 265.0718801466388),
    ("taper.ri(1)", 6.2979954217692775),
    ("taper.diam(1)", 2.25),
    ("taper.area(2)", 206.16701789183017),
    ("taper.ri(2)", 10.00883693518193),
    ("taper.diam(2)", 1.75),
    ("taper.area(3)", 147.26215563702155),
    ("taper.ri(3)", 18.45937495060938),
    ("taper.diam(3)", 1.25),
    ("taper.ri(end)", 12.223099629457561),
    ("taper.L", 150.0),
    ("ap.area(0)", 152.61842930948066),
    ("ap.ri(0)", 2.030337482352148),
    ("ap.diam(0)", 2.4442345307321833),
    ("ap.area(1)", 98.77696712318897),
    ("ap.ri(1)", 9.290652272464062),
    ("ap.diam(1)", 1.5956298710429127),
    ("ap.area(2)", 73.21020687449352),
    ("ap.ri(2)", 16.288216491987413),
    ("ap.diam(2)", 1.1916965012071703),
    ("ap.ri(end)", 12.84857011268187),
    ("ap.L", 58.66194836785154),
    ("rev.area(0)", 128.15233795531273),
    ("rev.ri(0)", 0.8451127478179644),
    ("rev.diam(0)", 4.0),
    ("rev.area(1)", 62.83185307179588),
    ("rev.ri(1)", 0.5634084985453095),
    ("rev.diam(1)", 2.0),
    ("rev.ri(end)", 6.366197723675814),
    ("rev.L", 20.0),
    ("soma.ri(x=0)", 1e30),
];

fn build() -> (Model, Vec<SectionId>) {
    let mut m = Model::new();
    let soma = m.new_section("soma");
    m.set_length(soma, 20.0).unwrap();
    m.set_diam_all(soma, 20.0).unwrap();
    let dend = m.new_section("dend");
    m.set_length(dend, 200.0).unwrap();
    m.set_diam_all(dend, 2.0).unwrap();
    m.set_nseg(dend, 5).unwrap();
    m.set_ra(dend, 100.0).unwrap();
    m.connect(dend, 0.0, soma, 1.0).unwrap();
    let taper = m.new_section("taper");
    m.set_length(taper, 150.0).unwrap();
    m.set_nseg(taper, 4).unwrap();
    m.set_ra(taper, 80.0).unwrap();
    m.set_rallbranch(taper, 2.0).unwrap();
    for i in 0..4 {
        let x = (i as f64 + 0.5) / 4.0;
        m.set_diam(taper, x, 3.0 - 2.0 * x).unwrap();
    }
    m.connect(taper, 0.0, soma, 0.5).unwrap();
    let ap = m.new_section("ap");
    for p in [
        [0.0, 0.0, 0.0, 4.0],
        [3.0, 4.0, 0.0, 3.0],
        [3.0, 4.0, 0.0, 2.5],
        [10.0, 4.0, 2.0, 2.0],
        [30.0, 10.0, 2.0, -1.5],
        [55.5, 10.0, 2.25, 1.0],
    ] {
        m.pt3dadd(ap, p[0], p[1], p[2], p[3]).unwrap();
    }
    m.set_nseg(ap, 3).unwrap();
    m.set_ra(ap, 123.0).unwrap();
    m.connect(ap, 0.0, soma, 0.0).unwrap();
    let rev = m.new_section("rev");
    m.pt3dadd(rev, 0.0, 0.0, 0.0, 2.0).unwrap();
    m.pt3dadd(rev, 10.0, 0.0, 0.0, 2.0).unwrap();
    m.pt3dadd(rev, 20.0, 0.0, 0.0, 6.0).unwrap();
    m.set_nseg(rev, 2).unwrap();
    m.connect(rev, 1.0, dend, 1.0).unwrap();
    m.set_spine_area(0.75);
    m.finitialize(Some(-65.0)).unwrap();
    (m, vec![soma, dend, taper, ap, rev])
}

#[test]
fn area_ri_diam_match_neuron_exactly() {
    let (mut m, secs) = build();
    let mut ours = std::collections::HashMap::new();
    for s in secs {
        let name = m.name(s).unwrap().to_string();
        let nseg = m.nseg(s).unwrap();
        for i in 0..nseg {
            let x = (i as f64 + 0.5) / nseg as f64;
            ours.insert(format!("{name}.area({i})"), m.area(s, x).unwrap());
            ours.insert(format!("{name}.ri({i})"), m.ri(s, x).unwrap());
            ours.insert(format!("{name}.diam({i})"), m.diam(s, x).unwrap());
        }
        ours.insert(format!("{name}.ri(end)"), m.ri(s, 1.0).unwrap());
        ours.insert(format!("{name}.L"), m.length(s).unwrap());
        if name == "soma" {
            ours.insert("soma.ri(x=0)".into(), m.ri(s, 0.0).unwrap());
        }
    }
    let mut bad = Vec::new();
    for &(k, want) in NEURON {
        let got = ours[k];
        // NEURON prints 17 significant digits, which round-trip exactly
        if got != want {
            bad.push(format!("{k}: nerve {got:.17e} NEURON {want:.17e}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn ends_have_zero_area() {
    let (mut m, secs) = build();
    assert_eq!(m.area(secs[1], 0.0).unwrap(), 0.0);
    assert_eq!(m.area(secs[1], 1.0).unwrap(), 0.0);
}
