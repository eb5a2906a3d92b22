//! TABLE in FUNCTIONs and PROCEDUREs (to come).

use super::Lowerer;

impl Lowerer<'_> {
    pub(super) fn tables(&mut self) {}
}
