//! The Hines tree solve alone, in ns per node (not a test: run with
//! `cargo bench -p nerve-runtime --bench tree_solve`). Three shapes: one
//! 10^4-node unbranched cable, 1,000 cells of 70 nodes (a soma and two
//! dendrites each), and one branched cell of about 10^4 nodes.

use nerve_runtime::model::Model;

fn cable() -> Model {
    let mut m = Model::new();
    let c = m.new_section("cable");
    m.set_length(c, 10_000.0).expect("length");
    m.set_nseg(c, 9_999).expect("nseg");
    m
}

fn cells() -> Model {
    let mut m = Model::new();
    for k in 0..1000 {
        let soma = m.new_section(&format!("soma{k}"));
        m.set_length(soma, 20.0).expect("length");
        m.set_diam_all(soma, 20.0).expect("diam");
        for d in 0..2 {
            let dend = m.new_section(&format!("dend{k}_{d}"));
            m.set_length(dend, 300.0).expect("length");
            m.set_nseg(dend, 34).expect("nseg");
            m.connect(dend, 0.0, soma, 1.0).expect("connect");
        }
    }
    m
}

/// One cell like `bigcell.hoc`: a soma and two binary trees of 7 levels,
/// sections of 39 segments (about 10^4 nodes).
fn big_tree() -> Model {
    let mut m = Model::new();
    let soma = m.new_section("soma");
    m.set_length(soma, 30.0).expect("length");
    m.set_diam_all(soma, 30.0).expect("diam");
    let mut frontier = Vec::new();
    for t in 0..2 {
        let s = m.new_section(&format!("t{t}"));
        m.set_length(s, 200.0).expect("length");
        m.set_nseg(s, 39).expect("nseg");
        m.connect(s, 0.0, soma, t as f64).expect("connect");
        frontier.push(s);
    }
    for level in 1..7 {
        let mut next = Vec::new();
        for (k, &p) in frontier.iter().enumerate() {
            for c in 0..2 {
                let s = m.new_section(&format!("l{level}_{k}_{c}"));
                m.set_length(s, 200.0).expect("length");
                m.set_nseg(s, 39).expect("nseg");
                m.connect(s, 0.0, p, 1.0).expect("connect");
                next.push(s);
            }
        }
        frontier = next;
    }
    m
}

fn measure(name: &str, mut m: Model, reps: usize) {
    let nodes = m.node_count().expect("nodes");
    // Warm up, then take the best of five rounds.
    m.time_tree_solve(reps / 10 + 1).expect("solve");
    let best = (0..5)
        .map(|_| m.time_tree_solve(reps).expect("solve"))
        .min()
        .expect("rounds");
    let ns = best.as_secs_f64() * 1e9 / (reps * nodes) as f64;
    println!("{name:<28} {nodes:>7} nodes  {ns:6.2} ns/node");
}

fn main() {
    measure("one cable of 10^4 nodes", cable(), 2000);
    measure("1,000 cells of 70 nodes", cells(), 300);
    measure("one binary tree (bigcell)", big_tree(), 2000);
}
