//! `BEFORE`/`AFTER` blocks: per-instance kernels the runtime runs at fixed
//! points of finitialize and of each step ([`BaTiming`]). As nocmodl 9.0.2
//! generates them, each starts with the `v` copy and the ion reads, then
//! runs the block; nothing is written back to the ions.
//!
//! NEURON loads only `BEFORE INITIAL`, `AFTER INITIAL`, `BEFORE
//! BREAKPOINT`, `AFTER SOLVE` and `BEFORE STEP`; the other three pairings
//! are translated by nocmodl and then refused when the library loads, so
//! nerve refuses them when lowering.

use super::super::ast::{BaPoint, ItemKind, When};
use super::super::ir::*;
use super::Lowerer;

impl Lowerer<'_> {
    pub(super) fn before_after(&mut self) {
        let prog = self.prog;
        for item in &prog.items {
            let ItemKind::BeforeAfter { when, point, body } = &item.kind else {
                continue;
            };
            if self.ir.kind == MechKind::Artificial {
                let end = (item.span.start + 6).min(item.span.end);
                self.error(
                    super::Span::new(item.span.start, end),
                    "BEFORE/AFTER blocks in an ARTIFICIAL_CELL are not supported yet by nerve",
                );
                continue;
            }
            let timing = match (when, point) {
                (When::Before, BaPoint::Initial) => BaTiming::BeforeInitial,
                (When::After, BaPoint::Initial) => BaTiming::AfterInitial,
                (When::Before, BaPoint::Breakpoint) => BaTiming::BeforeBreakpoint,
                (When::After, BaPoint::Solve) => BaTiming::AfterSolve,
                (When::Before, BaPoint::Step) => BaTiming::BeforeStep,
                _ => {
                    let end = (item.span.start + 6).min(item.span.end);
                    self.error(
                        super::Span::new(item.span.start, end),
                        "NEURON runs only BEFORE INITIAL, AFTER INITIAL, BEFORE BREAKPOINT, \
                         AFTER SOLVE and BEFORE STEP blocks",
                    );
                    continue;
                }
            };
            let saved = self.begin();
            let mut stmts = self.v_copy(None);
            stmts.extend(self.ion_reads());
            stmts.extend(self.block(body));
            let locals = self.end(saved);
            self.ir.kernels.before_after.push((
                timing,
                Kernel {
                    locals,
                    body: stmts,
                },
            ));
        }
    }
}
