//! `tests/mpi/order.hoc` on 1, 2 and 3 ranks faked in this process
//! ([`DryRun`]: one interpreter per rank, each on its own thread): what
//! rank 0 prints must be `order.N.out`, NEURON 9.0.2's output on N MPI
//! ranks, byte for byte (`tests/mpi/run.sh` checks the same files under
//! real MPI). The network's events of equal time reach their targets in an
//! order that depends on which connections cross ranks, so this checks
//! the spike exchange's timing and order, not only its spikes.

use nerve::runtime::hoc::ErrorKind;
use nerve::runtime::parallel::DryRun;
use nerve::Interpreter;
use std::cell::RefCell;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;

/// An output sink the test reads back.
#[derive(Clone, Default)]
struct Captured(Rc<RefCell<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `text` on `n` faked ranks; what each rank printed, in rank order.
fn run_on(n: usize, name: &str, text: &str) -> Vec<String> {
    DryRun::run(n, |comm| {
        let out = Captured::default();
        let mut interp = Interpreter::with_output(Box::new(out.clone()));
        nerve::stdlib::install(&mut interp);
        nerve::stdlib::nrn::set_communicator(&mut interp, Box::new(comm));
        let r = interp.run_source(name, text);
        nerve::stdlib::flush_all(&mut interp);
        if let Err(e) = r {
            assert!(
                matches!(e.kind, ErrorKind::Quit(0)),
                "{name}: {}",
                e.render()
            );
        }
        let s = String::from_utf8(out.0.borrow().clone()).expect("utf-8 output");
        s
    })
}

#[test]
fn order_matches_neuron_on_each_rank_count() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("mpi");
    let text = std::fs::read_to_string(dir.join("order.hoc")).expect("order.hoc");
    for n in 1..=3 {
        let expected =
            std::fs::read_to_string(dir.join(format!("order.{n}.out"))).expect("expected output");
        let outs = run_on(n, "order.hoc", &text);
        assert_eq!(outs[0], expected, "rank 0 of {n}");
        for (r, o) in outs.iter().enumerate().skip(1) {
            assert!(o.is_empty(), "rank {r} of {n} printed {o:?}");
        }
    }
}
