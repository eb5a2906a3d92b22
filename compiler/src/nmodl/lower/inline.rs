//! Inlining of small functions into kernels (to come): calls stay calls.

use super::Lowerer;

impl Lowerer<'_> {
    pub(super) fn inline(&mut self) {}
}
