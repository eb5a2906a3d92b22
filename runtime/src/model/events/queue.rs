//! The event queue, ordered exactly as NEURON's `TQueue` orders events of
//! equal time.
//!
//! NEURON keeps the earliest event apart (`least_`) and every other event in a
//! splay tree that puts a new item after all items of the same time. The tree
//! is therefore a sequence sorted by (time, order of entry into the tree), and
//! that is what a `BTreeMap` keyed by (time, sequence number) reproduces. The
//! `least_` slot gives NEURON its one non-FIFO quirk: an event earlier than the
//! held least item pushes that item back into the tree *behind* the items of
//! its own time that were queued after it. Moving an event (`net_move`)
//! re-enters it into the tree, behind its new equals.

use std::collections::{BTreeMap, HashMap};

/// The identity of one queued item (unique for the life of a queue).
pub(crate) type ItemId = u64;

/// A time that orders totally (event times are finite).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Time(f64);

impl Eq for Time {}

impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Time {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Where an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Least,
    Tree(Time, u64),
}

/// A priority queue of `(time, T)` with NEURON's order for equal times.
#[derive(Clone, Debug)]
pub(crate) struct EventQueue<T> {
    least: Option<(ItemId, f64, T)>,
    tree: BTreeMap<(Time, u64), (ItemId, T)>,
    places: HashMap<ItemId, Place>,
    next_seq: u64,
    next_id: ItemId,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        Self {
            least: None,
            tree: BTreeMap::new(),
            places: HashMap::new(),
            next_seq: 0,
            next_id: 0,
        }
    }
}

impl<T> EventQueue<T> {
    /// Number of queued items.
    pub(crate) fn len(&self) -> usize {
        self.places.len()
    }

    /// Removes every item.
    pub(crate) fn clear(&mut self) {
        self.least = None;
        self.tree.clear();
        self.places.clear();
    }

    fn tree_insert(&mut self, id: ItemId, t: f64, x: T) {
        let key = (Time(t), self.next_seq);
        self.next_seq += 1;
        self.tree.insert(key, (id, x));
        self.places.insert(id, Place::Tree(key.0, key.1));
    }

    /// The tree's first item becomes the least one.
    fn promote_first(&mut self) {
        self.least = self.tree.pop_first().map(|((t, _), (id, x))| {
            self.places.insert(id, Place::Least);
            (id, t.0, x)
        });
    }

    /// Queues `x` at time `t` (NEURON's `TQueue::insert`).
    pub(crate) fn insert(&mut self, t: f64, x: T) -> ItemId {
        let id = self.next_id;
        self.next_id += 1;
        match self.least.take() {
            None => {
                self.least = Some((id, t, x));
                self.places.insert(id, Place::Least);
            }
            Some(old) if t < old.1 => {
                self.tree_insert(old.0, old.1, old.2);
                self.least = Some((id, t, x));
                self.places.insert(id, Place::Least);
            }
            Some(old) => {
                self.least = Some(old);
                self.tree_insert(id, t, x);
            }
        }
        id
    }

    /// Takes the earliest item if its time is <= `til` (NEURON's `atomic_dq`).
    pub(crate) fn pop_until(&mut self, til: f64) -> Option<(ItemId, f64, T)> {
        if self.least.as_ref()?.1 <= til {
            let l = self.least.take()?;
            self.places.remove(&l.0);
            self.promote_first();
            Some(l)
        } else {
            None
        }
    }

    /// The time of a queued item.
    pub(crate) fn time_of(&self, id: ItemId) -> Option<f64> {
        match self.places.get(&id)? {
            Place::Least => self.least.as_ref().map(|l| l.1),
            Place::Tree(t, _) => Some(t.0),
        }
    }

    /// Removes an item (NEURON's `TQueue::remove`).
    pub(crate) fn remove(&mut self, id: ItemId) -> Option<(f64, T)> {
        match self.places.remove(&id)? {
            Place::Least => {
                let l = self.least.take()?;
                self.promote_first();
                Some((l.1, l.2))
            }
            Place::Tree(t, s) => self.tree.remove(&(t, s)).map(|(_, x)| (t.0, x)),
        }
    }

    /// Gives an item a new time (NEURON's `TQueue::move`); false if it is not
    /// queued.
    pub(crate) fn move_to(&mut self, id: ItemId, tnew: f64) -> bool {
        let Some(&place) = self.places.get(&id) else {
            return false;
        };
        match place {
            Place::Least => {
                // move_least: stays least unless an item is now strictly earlier
                let first_t = self.tree.first_key_value().map(|(k, _)| k.0 .0);
                let Some(l) = self.least.as_mut() else {
                    return false;
                };
                l.1 = tnew;
                if first_t.is_some_and(|ft| tnew > ft) {
                    let Some(b) = self.least.take() else {
                        return false;
                    };
                    self.promote_first();
                    self.tree_insert(b.0, b.1, b.2);
                }
            }
            Place::Tree(t, s) => {
                let Some((_, x)) = self.tree.remove(&(t, s)) else {
                    return false;
                };
                let least_t = self.least.as_ref().map(|l| l.1);
                if least_t.is_some_and(|lt| tnew < lt) {
                    if let Some(old) = self.least.take() {
                        self.tree_insert(old.0, old.1, old.2);
                    }
                    self.least = Some((id, tnew, x));
                    self.places.insert(id, Place::Least);
                } else {
                    self.tree_insert(id, tnew, x);
                }
            }
        }
        true
    }

    /// Items in delivery order (for tests and `print_event_queue`).
    pub(crate) fn items(&self) -> Vec<(f64, &T)> {
        let mut out = Vec::with_capacity(self.len());
        if let Some(l) = &self.least {
            out.push((l.1, &l.2));
        }
        out.extend(self.tree.iter().map(|(k, v)| (k.0 .0, &v.1)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(q: &mut EventQueue<&'static str>) -> Vec<&'static str> {
        let mut out = Vec::new();
        while let Some((_, _, x)) = q.pop_until(f64::INFINITY) {
            out.push(x);
        }
        out
    }

    #[test]
    fn equal_times_are_fifo() {
        let mut q = EventQueue::default();
        q.insert(5.0, "a");
        q.insert(5.0, "b");
        q.insert(1.0, "early");
        q.insert(5.0, "c");
        // the earlier item pushes `a` back into the tree behind `b`
        assert_eq!(drain(&mut q), ["early", "b", "a", "c"]);
    }

    #[test]
    fn pop_until_respects_the_limit() {
        let mut q = EventQueue::default();
        q.insert(2.0, "x");
        q.insert(1.0, "y");
        assert!(q.pop_until(0.5).is_none());
        assert_eq!(q.pop_until(1.0).map(|i| i.2), Some("y"));
        assert!(q.pop_until(1.5).is_none());
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn move_and_remove() {
        let mut q = EventQueue::default();
        let a = q.insert(3.0, "a");
        let b = q.insert(4.0, "b");
        q.insert(4.0, "c");
        assert!(q.move_to(a, 4.0)); // least keeps its place on a tie
        assert_eq!(q.time_of(a), Some(4.0));
        assert!(q.move_to(b, 1.0));
        // `a` leaves the least slot for the tree, behind `c`
        assert_eq!(
            q.items().iter().map(|i| *i.1).collect::<Vec<_>>(),
            ["b", "c", "a"]
        );
        assert!(q.move_to(b, 5.0)); // least moved past the others
        assert_eq!(q.remove(a).map(|x| x.1), Some("a"));
        assert_eq!(drain(&mut q), ["c", "b"]);
        assert!(!q.move_to(a, 1.0));
    }
}
