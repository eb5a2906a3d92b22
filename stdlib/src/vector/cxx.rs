//! The C and C++ library algorithms NEURON's Vector calls, written out so
//! that ties and NaNs come out in the same order as in NEURON: libstdc++'s
//! `std::sort` (introsort), `std::minmax_element`, and glibc's `qsort`
//! (a stable merge sort, as in glibc 2.36). Where the C++ code would run off
//! the array (a comparison that is not a strict weak order, i.e. NaNs), the
//! loops here stop at the array's ends instead.

/// `std::sort(v.begin(), v.end())` on doubles with `<`, as libstdc++ does it.
pub fn std_sort(v: &mut [f64]) {
    let n = v.len();
    if n > 1 {
        let depth = 2 * (usize::BITS - 1 - n.leading_zeros()) as usize;
        introsort_loop(v, 0, n, depth);
        final_insertion_sort(v, 0, n);
    }
}

const THRESHOLD: usize = 16;

/// The comparison the C++ code uses (`a < b`, false with a NaN).
fn lt(a: f64, b: f64) -> bool {
    a < b
}

fn introsort_loop(v: &mut [f64], first: usize, mut last: usize, mut depth: usize) {
    while last - first > THRESHOLD {
        if depth == 0 {
            heap_sort(v, first, last);
            return;
        }
        depth -= 1;
        let cut = partition_pivot(v, first, last);
        introsort_loop(v, cut, last, depth);
        last = cut;
    }
}

fn partition_pivot(v: &mut [f64], first: usize, last: usize) -> usize {
    let mid = first + (last - first) / 2;
    move_median_to_first(v, first, first + 1, mid, last - 1);
    unguarded_partition(v, first + 1, last, first)
}

fn move_median_to_first(v: &mut [f64], result: usize, a: usize, b: usize, c: usize) {
    let pick = if v[a] < v[b] {
        if v[b] < v[c] {
            b
        } else if v[a] < v[c] {
            c
        } else {
            a
        }
    } else if v[a] < v[c] {
        a
    } else if v[b] < v[c] {
        c
    } else {
        b
    };
    v.swap(result, pick);
}

fn unguarded_partition(v: &mut [f64], mut first: usize, mut last: usize, pivot: usize) -> usize {
    let end = last;
    loop {
        while first < end && v[first] < v[pivot] {
            first += 1;
        }
        last -= 1;
        while last > pivot && v[pivot] < v[last] {
            last -= 1;
        }
        if first >= last {
            return first;
        }
        v.swap(first, last);
        first += 1;
    }
}

fn final_insertion_sort(v: &mut [f64], first: usize, last: usize) {
    if last - first > THRESHOLD {
        insertion_sort(v, first, first + THRESHOLD);
        for i in first + THRESHOLD..last {
            unguarded_linear_insert(v, first, i);
        }
    } else {
        insertion_sort(v, first, last);
    }
}

fn insertion_sort(v: &mut [f64], first: usize, last: usize) {
    if first == last {
        return;
    }
    for i in first + 1..last {
        if v[i] < v[first] {
            let val = v[i];
            v.copy_within(first..i, first + 1);
            v[first] = val;
        } else {
            unguarded_linear_insert(v, first, i);
        }
    }
}

/// `__unguarded_linear_insert`, guarded at `lo` (only reached with NaNs).
fn unguarded_linear_insert(v: &mut [f64], lo: usize, mut last: usize) {
    let val = v[last];
    while last > lo && val < v[last - 1] {
        v[last] = v[last - 1];
        last -= 1;
    }
    v[last] = val;
}

fn heap_sort(v: &mut [f64], first: usize, last: usize) {
    let s = &mut v[first..last];
    let len = s.len();
    if len >= 2 {
        let mut parent = (len - 2) / 2;
        loop {
            let value = s[parent];
            adjust_heap(s, parent, len, value);
            if parent == 0 {
                break;
            }
            parent -= 1;
        }
    }
    let mut end = len;
    while end > 1 {
        end -= 1;
        let value = s[end];
        s[end] = s[0];
        adjust_heap(s, 0, end, value);
    }
}

fn adjust_heap(s: &mut [f64], mut hole: usize, len: usize, value: f64) {
    let top = hole;
    let mut child = hole;
    while len >= 1 && child < (len - 1) / 2 {
        child = 2 * (child + 1);
        if s[child] < s[child - 1] {
            child -= 1;
        }
        s[hole] = s[child];
        hole = child;
    }
    if len & 1 == 0 && len >= 2 && child == (len - 2) / 2 {
        child = 2 * (child + 1);
        s[hole] = s[child - 1];
        hole = child - 1;
    }
    // __push_heap
    while hole > top {
        let parent = (hole - 1) / 2;
        if !lt(s[parent], value) {
            break;
        }
        s[hole] = s[parent];
        hole = parent;
    }
    s[hole] = value;
}

/// `std::min_element`: the first smallest element's index (0 for an empty slice).
pub fn min_element(v: &[f64]) -> usize {
    let mut m = 0;
    for i in 1..v.len() {
        if v[i] < v[m] {
            m = i;
        }
    }
    m
}

/// `std::max_element`: the first largest element's index (0 for an empty slice).
pub fn max_element(v: &[f64]) -> usize {
    let mut m = 0;
    for i in 1..v.len() {
        if v[m] < v[i] {
            m = i;
        }
    }
    m
}

/// `std::minmax_element`: indices of the first smallest and the last
/// largest element, or `None` for an empty slice.
pub fn minmax_element(v: &[f64]) -> Option<(usize, usize)> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    if n == 1 {
        return Some((0, 0));
    }
    let (mut min, mut max) = if v[1] < v[0] { (1, 0) } else { (0, 1) };
    let mut first = 2;
    while first < n {
        let next = first + 1;
        if next == n {
            if v[first] < v[min] {
                min = first;
            } else if !lt(v[first], v[max]) {
                max = first;
            }
            break;
        }
        if v[next] < v[first] {
            if v[next] < v[min] {
                min = next;
            }
            if !lt(v[first], v[max]) {
                max = first;
            }
        } else {
            if v[first] < v[min] {
                min = first;
            }
            if !lt(v[next], v[max]) {
                max = next;
            }
        }
        first = next + 1;
    }
    Some((min, max))
}

/// glibc's `qsort` (its merge sort: stable, taking the left element when
/// the comparison gives 0) with a three-way comparison function.
pub fn glibc_qsort<T: Copy>(v: &mut [T], cmp: &dyn Fn(&T, &T) -> i32) {
    if v.len() <= 1 {
        return;
    }
    let mut tmp = v.to_vec();
    msort(v, &mut tmp, cmp);
}

fn msort<T: Copy>(b: &mut [T], tmp: &mut [T], cmp: &dyn Fn(&T, &T) -> i32) {
    let n = b.len();
    if n <= 1 {
        return;
    }
    let n1 = n / 2;
    {
        let (b1, b2) = b.split_at_mut(n1);
        msort(b1, tmp, cmp);
        msort(b2, tmp, cmp);
    }
    let (mut i, mut j, mut k) = (0, n1, 0);
    while i < n1 && j < n {
        if cmp(&b[i], &b[j]) <= 0 {
            tmp[k] = b[i];
            i += 1;
        } else {
            tmp[k] = b[j];
            j += 1;
        }
        k += 1;
    }
    while i < n1 {
        tmp[k] = b[i];
        i += 1;
        k += 1;
    }
    // Elements of the second half not yet merged are already in place.
    b[..k].copy_from_slice(&tmp[..k]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn std_sort_sorts_like_a_sort() {
        let mut seed = 12345u64;
        for n in [0usize, 1, 2, 3, 15, 16, 17, 33, 100, 1000] {
            let mut v: Vec<f64> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((seed >> 33) % 50) as f64
                })
                .collect();
            let mut w = v.clone();
            std_sort(&mut v);
            w.sort_by(|a, b| a.total_cmp(b));
            assert_eq!(v, w);
        }
        // Degenerate inputs reach the heap sort fallback without trouble.
        let mut v: Vec<f64> = (0..500).map(|i| ((i * 7919) % 500) as f64).collect();
        heap_sort(&mut v, 0, 500);
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
        let mut nan = vec![3.0, f64::NAN, 1.0, 2.0, f64::NAN, 0.0];
        nan.extend((0..40).map(|i| i as f64));
        std_sort(&mut nan); // must not panic
    }

    #[test]
    fn minmax_and_qsort() {
        assert_eq!(minmax_element(&[2.0, 1.0, 2.0, 1.0]), Some((1, 2)));
        assert_eq!(minmax_element(&[]), None);
        let mut v = [(3.0, 0), (1.0, 1), (3.0, 2), (1.0, 3)];
        glibc_qsort(&mut v, &|a, b| {
            if a.0 > b.0 {
                1
            } else if a.0 < b.0 {
                -1
            } else {
                0
            }
        });
        assert_eq!(v, [(1.0, 1), (1.0, 3), (3.0, 0), (3.0, 2)]);
    }
}
