//! Stable handles. Sections, nodes and mechanism instances live in slabs whose
//! entries carry a generation, so a handle to something deleted is detected
//! (NEURON keeps a refcounted zombie `Section` for the same purpose) and a
//! handle stays valid while the solver's arrays are rebuilt and reordered.

use std::fmt;

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name {
            pub(crate) index: u32,
            pub(crate) generation: u32,
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({}v{})", stringify!($name), self.index, self.generation)
            }
        }

        impl SlabKey for $name {
            fn from_parts(index: u32, generation: u32) -> Self {
                Self { index, generation }
            }
            fn index(self) -> u32 {
                self.index
            }
            fn generation(self) -> u32 {
                self.generation
            }
        }
    };
}

handle!(
    /// A section. Stays valid until the section is deleted; afterwards every use
    /// gives [`ModelError::DeletedSection`](super::ModelError::DeletedSection).
    SectionId
);
handle!(
    /// A node: the center of a segment, a section's zero-area end at x=1, or a
    /// cell's root node. Stable across `nseg` changes elsewhere, finitialize and
    /// repartitioning into cell groups; a node removed by an `nseg` change of its
    /// own section is reported as deleted.
    NodeId
);
handle!(
    /// One instance of a mechanism (a density mechanism in one segment, or a
    /// point process).
    InstanceId
);

handle!(
    /// A NetCon (see [`Model::netcon_new`](super::Model::netcon_new)).
    NetConId
);
handle!(
    /// A spike source shared by the NetCons that watch the same variable or
    /// point process (NEURON's `PreSyn`).
    PreSynId
);

/// What a slab needs of its handle type.
pub(crate) trait SlabKey: Copy {
    fn from_parts(index: u32, generation: u32) -> Self;
    fn index(self) -> u32;
    fn generation(self) -> u32;
}

#[derive(Clone, Debug)]
struct Entry<T> {
    generation: u32,
    value: Option<T>,
}

/// A vector of values addressed by generation-checked handles; freed slots are
/// reused with a new generation.
#[derive(Clone, Debug)]
pub(crate) struct Slab<K, T> {
    entries: Vec<Entry<T>>,
    free: Vec<u32>,
    len: usize,
    _key: std::marker::PhantomData<K>,
}

impl<K: SlabKey, T> Default for Slab<K, T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            free: Vec::new(),
            len: 0,
            _key: std::marker::PhantomData,
        }
    }
}

impl<K: SlabKey, T> Slab<K, T> {
    /// Stores a value and returns its handle.
    pub(crate) fn insert(&mut self, value: T) -> K {
        self.len += 1;
        if let Some(index) = self.free.pop() {
            let e = &mut self.entries[index as usize];
            e.generation = e.generation.wrapping_add(1);
            e.value = Some(value);
            K::from_parts(index, e.generation)
        } else {
            let index = u32::try_from(self.entries.len()).expect("more than 2^32 slab entries");
            self.entries.push(Entry {
                generation: 0,
                value: Some(value),
            });
            K::from_parts(index, 0)
        }
    }

    /// Removes a value; `None` if the handle was stale.
    pub(crate) fn remove(&mut self, key: K) -> Option<T> {
        let e = self.entries.get_mut(key.index() as usize)?;
        if e.generation != key.generation() {
            return None;
        }
        let v = e.value.take();
        if v.is_some() {
            self.len -= 1;
            self.free.push(key.index());
        }
        v
    }

    pub(crate) fn get(&self, key: K) -> Option<&T> {
        let e = self.entries.get(key.index() as usize)?;
        if e.generation != key.generation() {
            return None;
        }
        e.value.as_ref()
    }

    pub(crate) fn get_mut(&mut self, key: K) -> Option<&mut T> {
        let e = self.entries.get_mut(key.index() as usize)?;
        if e.generation != key.generation() {
            return None;
        }
        e.value.as_mut()
    }

    pub(crate) fn contains(&self, key: K) -> bool {
        self.get(key).is_some()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Live entries in slot order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (K, &T)> {
        self.entries.iter().enumerate().filter_map(|(i, e)| {
            e.value
                .as_ref()
                .map(|v| (K::from_parts(i as u32, e.generation), v))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_handles_are_detected() {
        let mut s: Slab<SectionId, i32> = Slab::default();
        let a = s.insert(1);
        let b = s.insert(2);
        assert_eq!(s.remove(a), Some(1));
        assert!(s.get(a).is_none());
        let c = s.insert(3);
        assert_eq!(c.index, a.index);
        assert!(s.get(a).is_none());
        assert_eq!(s.get(c), Some(&3));
        assert_eq!(s.get(b), Some(&2));
        assert_eq!(s.len(), 2);
    }
}
