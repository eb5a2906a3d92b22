//! `FOR_NETCONS` (STDP synapses): NET_RECEIVE of a type that uses it walks
//! the NetCons whose target is the receiving instance, reading and writing
//! their weight vectors through the `host_call` services 14 to 16.
//!
//! The list is NEURON's (`NetCvode::fornetcon_prepare`): sources in
//! creation order, each source's NetCons in its order, active or not. NEURON
//! builds it when the model's structure changes; nerve keeps it up to date
//! with every NetCon made, deleted or moved (NEURON's list misses NetCons
//! made after the last structure change, until the next one).

use super::{InstanceId, NetConId};
use crate::model::Model;
use std::collections::HashMap;

/// `host_call` service 14: how many NetCons target the instance.
pub(crate) const NETCON_COUNT: u32 = 14;
/// `host_call` service 15: weight `op >> 8` of NetCon `a` of the list.
pub(crate) const NETCON_WEIGHT: u32 = 15;
/// `host_call` service 16: sets weight `op >> 8` of NetCon `a` to `b`.
pub(crate) const NETCON_SET_WEIGHT: u32 = 16;

/// The weight vectors of the NetCons that target the instance whose
/// NET_RECEIVE runs, lent to it for the call.
#[derive(Clone, Debug, Default)]
pub(crate) struct NetconWeights {
    /// the first weight of each, in the list's order
    ptrs: Vec<*mut f64>,
    /// the length of each vector (the type's weight count)
    len: usize,
}

// SAFETY: the pointers are only set and read on the thread that delivers
// events (they are filled just before a NET_RECEIVE call and cleared
// after it); a cell group's outbox, which holds an empty one, is what
// crosses threads.
unsafe impl Send for NetconWeights {}

impl NetconWeights {
    /// Services 14 to 16 (`op` with the weight index in `op >> 8`, `a` the
    /// NetCon's place in the list, `b` the value to set): NaN for a place
    /// or index out of range.
    pub(crate) fn service(&mut self, op: u32, a: f64, b: f64) -> f64 {
        let service = op & 0xff;
        if service == NETCON_COUNT {
            return self.ptrs.len() as f64;
        }
        let k = (op >> 8) as usize;
        let Some(&p) = (a >= 0.0 && k < self.len)
            .then(|| self.ptrs.get(a as usize))
            .flatten()
        else {
            return f64::NAN;
        };
        // SAFETY: `p` points to a weight vector of at least `len` elements
        // that lives through the NET_RECEIVE call (see
        // `Model::lend_netcon_weights`), and k < len.
        unsafe {
            match service {
                NETCON_WEIGHT => *p.add(k),
                NETCON_SET_WEIGHT => {
                    *p.add(k) = b;
                    b
                }
                _ => f64::NAN,
            }
        }
    }
}

impl Model {
    /// The NetCons that target `target`, in NEURON's `FOR_NETCONS` order
    /// (the lists of every target are made at once and kept until a NetCon
    /// changes).
    pub(crate) fn netcons_targeting(&mut self, target: InstanceId) -> &[NetConId] {
        let ev = &mut self.events;
        let lists = ev.fornetcons.get_or_insert_with(|| {
            let mut lists: HashMap<InstanceId, Vec<NetConId>> = HashMap::new();
            for &ps in &ev.presyn_order {
                let Some(p) = ev.presyns.get(ps) else {
                    continue;
                };
                for &nc in &p.netcons {
                    if let Some(t) = ev.netcons.get(nc).and_then(|n| n.target) {
                        lists.entry(t).or_default().push(nc);
                    }
                }
            }
            lists
        });
        lists.get(&target).map_or(&[], Vec::as_slice)
    }

    /// The weight vectors of the NetCons that target `target`, for one
    /// NET_RECEIVE call of a type that uses `FOR_NETCONS`. The pointers stay
    /// valid while no NetCon is made or deleted (nothing does during a
    /// kernel call: its requests are applied after it returns).
    pub(super) fn lend_netcon_weights(&mut self, target: InstanceId, len: usize) -> NetconWeights {
        let list = self.netcons_targeting(target).to_vec();
        let mut w = NetconWeights {
            ptrs: Vec::with_capacity(list.len()),
            len,
        };
        for nc in list {
            if let Some(n) = self.events.netcons.get_mut(nc) {
                w.len = w.len.min(n.weights.len());
                w.ptrs.push(n.weights.as_mut_ptr());
            }
        }
        w
    }

    /// A NetCon was made, deleted, or changed source or target: the
    /// `FOR_NETCONS` lists are made again when next needed.
    pub(super) fn netcons_changed(&mut self) {
        self.events.fornetcons = None;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::pacer_spec;
    use super::super::NetConSource;
    use super::*;

    #[test]
    fn lists_follow_sources_then_their_netcons() {
        let mut m = Model::new();
        // SAFETY: the test kernels keep to the ABI contract.
        let pacer = unsafe { m.register_mechanism(pacer_spec()) }.unwrap();
        let [p0, p1, t] = [(); 3].map(|_| m.new_unlocated(pacer).unwrap());
        let src = |p| NetConSource::Point(p);
        let a = m.netcon_new(src(p1), Some(t), None, 1.0, 1.0).unwrap();
        let b = m.netcon_new(src(p0), Some(t), None, 1.0, 2.0).unwrap();
        let c = m.netcon_new(src(p1), Some(t), None, 1.0, 3.0).unwrap();
        m.netcon_new(src(p0), None, None, 1.0, 0.0).unwrap();
        m.set_netcon_active(c, false).unwrap();
        assert_eq!(m.netcons_targeting(t), [a, c, b]);
        assert!(m.netcons_targeting(p0).is_empty());
        let mut w = m.lend_netcon_weights(t, 1);
        assert_eq!(w.service(NETCON_COUNT, 0.0, 0.0), 3.0);
        assert_eq!(w.service(NETCON_WEIGHT, 2.0, 0.0), 2.0);
        assert_eq!(w.service(NETCON_SET_WEIGHT, 1.0, 7.0), 7.0);
        assert!(w.service(NETCON_WEIGHT, 3.0, 0.0).is_nan());
        assert!(w.service(NETCON_WEIGHT | 1 << 8, 0.0, 0.0).is_nan());
        assert_eq!(m.netcon_weights(c).unwrap(), [7.0]);
        m.netcon_delete(a).unwrap();
        let d = m.netcon_new(src(p0), Some(t), None, 1.0, 4.0).unwrap();
        assert_eq!(m.netcons_targeting(t), [c, b, d]);
    }
}
