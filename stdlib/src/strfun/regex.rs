//! The regular expressions of `StringFunctions.head` and `tail`: POSIX
//! extended syntax as C++'s `std::regex` with the `egrep` grammar (which
//! NEURON uses) accepts it, matched leftmost-longest on bytes.
//!
//! Supported: literals, `.` (any byte but NUL), `^` and `$` (start and end
//! of the text), bracket expressions (`[abc]`, `[^a-z]`, `[]x]`, `[a-]`,
//! `[[:alpha:]]`, `[[=a=]]`, `[[.a.]]`), groups `( )`, alternation `|` (and a
//! newline, as in `egrep`), the repetitions `*`, `+`, `?`, `{m}`, `{m,}`,
//! `{m,n}`, and `\` before one of `.[\()*+?{|^$`. Anything else escaped is an
//! error, as in NEURON's build ("Unexpected escape character."). Error
//! messages are libstdc++'s.
//!
//! Matching is a Pike VM over a Thompson NFA: for each start position, in
//! order, the longest match from there wins (POSIX semantics, which
//! libstdc++ implements for this grammar). Time is at most quadratic in the
//! text length times the pattern size; there is no backtracking blow-up.

/// Largest count allowed in `{m,n}`, and largest program, so that a
/// pattern cannot exhaust memory.
const MAX_REPEAT: usize = 1000;
const MAX_PROGRAM: usize = 200_000;
/// Deepest nesting of groups and stacked repetitions (the parser and the
/// compiler recurse on it).
const MAX_DEPTH: usize = 500;

/// A parse error, with libstdc++'s message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError(pub &'static str);

type ByteSet = [bool; 256];

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Set(Box<ByteSet>),
    Bol,
    Eol,
    Cat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, usize, Option<usize>),
}

#[derive(Debug, Clone)]
enum Inst {
    Set(Box<ByteSet>),
    Split(usize, usize),
    Jmp(usize),
    Bol,
    Eol,
    Match,
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Regex {
    prog: Vec<Inst>,
}

struct Parser<'a> {
    p: &'a [u8],
    i: usize,
    depth: usize,
}

fn too_deep() -> RegexError {
    RegexError("Regular expression too deeply nested.")
}

const SPECIAL: &[u8] = b".[\\()*+?{|^$";

fn set_of(bytes: impl IntoIterator<Item = u8>) -> Box<ByteSet> {
    let mut s = Box::new([false; 256]);
    for b in bytes {
        s[b as usize] = true;
    }
    s
}

fn class_set(name: &[u8]) -> Option<Box<ByteSet>> {
    let f: fn(u8) -> bool = match name {
        b"alpha" => |c| c.is_ascii_alphabetic(),
        b"digit" | b"d" => |c| c.is_ascii_digit(),
        b"alnum" => |c| c.is_ascii_alphanumeric(),
        b"upper" => |c| c.is_ascii_uppercase(),
        b"lower" => |c| c.is_ascii_lowercase(),
        b"space" | b"s" => |c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
        b"blank" => |c| c == b' ' || c == b'\t',
        b"punct" => |c| c.is_ascii_punctuation(),
        b"print" => |c| (0x20..0x7f).contains(&c),
        b"graph" => |c| c.is_ascii_graphic(),
        b"cntrl" => |c| c < 0x20 || c == 0x7f,
        b"xdigit" => |c| c.is_ascii_hexdigit(),
        b"w" => |c| c.is_ascii_alphanumeric() || c == b'_',
        _ => return None,
    };
    Some(set_of((0..=255u8).filter(|&c| f(c))))
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.p.get(self.i).copied()
    }

    fn alt(&mut self) -> Result<Node, RegexError> {
        let mut alts = vec![self.concat()?];
        while matches!(self.peek(), Some(b'|' | b'\n')) {
            self.i += 1;
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn concat(&mut self) -> Result<Node, RegexError> {
        let mut items = Vec::new();
        while let Some(mut atom) = self.atom()? {
            let mut stacked = 0;
            while let Some((min, max)) = self.quantifier()? {
                stacked += 1;
                if self.depth + stacked > MAX_DEPTH {
                    return Err(too_deep());
                }
                atom = Node::Repeat(Box::new(atom), min, max);
            }
            items.push(atom);
        }
        Ok(Node::Cat(items))
    }

    fn atom(&mut self) -> Result<Option<Node>, RegexError> {
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let node = match c {
            b'|' | b'\n' | b')' | b'*' | b'+' | b'?' | b'{' => return Ok(None),
            b'(' => {
                self.i += 1;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(too_deep());
                }
                let inner = self.alt()?;
                self.depth -= 1;
                if self.peek() != Some(b')') {
                    return Err(RegexError("Parenthesis is not closed."));
                }
                self.i += 1;
                return Ok(Some(inner));
            }
            b'.' => Node::Set(set_of((1..=255u8).collect::<Vec<_>>())),
            b'^' => Node::Bol,
            b'$' => Node::Eol,
            b'[' => {
                self.i += 1;
                return Ok(Some(Node::Set(self.bracket()?)));
            }
            b'\\' => {
                self.i += 1;
                match self.peek() {
                    None => return Err(RegexError("Unexpected end of regex when escaping.")),
                    Some(e) if SPECIAL.contains(&e) => Node::Set(set_of([e])),
                    Some(_) => return Err(RegexError("Unexpected escape character.")),
                }
            }
            other => Node::Set(set_of([other])),
        };
        self.i += 1;
        Ok(Some(node))
    }

    fn number(&mut self) -> Option<usize> {
        let start = self.i;
        let mut n: usize = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            n = n.saturating_mul(10).saturating_add(usize::from(d - b'0'));
            self.i += 1;
        }
        (self.i > start).then_some(n)
    }

    fn quantifier(&mut self) -> Result<Option<(usize, Option<usize>)>, RegexError> {
        let q = match self.peek() {
            Some(b'*') => (0, None),
            Some(b'+') => (1, None),
            Some(b'?') => (0, Some(1)),
            Some(b'{') => {
                self.i += 1;
                let bad = RegexError("Unexpected token in brace expression.");
                let min = self.number().ok_or(bad.clone())?;
                let max = if self.peek() == Some(b',') {
                    self.i += 1;
                    self.number()
                } else {
                    Some(min)
                };
                if self.peek() != Some(b'}') {
                    return Err(bad);
                }
                if max.is_some_and(|m| m < min) {
                    return Err(RegexError("Invalid range in brace expression."));
                }
                if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT) {
                    return Err(RegexError(
                        "Repetition count too large in brace expression.",
                    ));
                }
                (min, max)
            }
            _ => return Ok(None),
        };
        self.i += 1;
        Ok(Some(q))
    }

    /// A bracket expression, after its `[`.
    fn bracket(&mut self) -> Result<Box<ByteSet>, RegexError> {
        let bad = RegexError("Unexpected character in bracket expression.");
        let mut set = Box::new([false; 256]);
        let negate = self.peek() == Some(b'^');
        if negate {
            self.i += 1;
        }
        let mut first = true;
        loop {
            let c = self.peek().ok_or(bad.clone())?;
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            let lo = match self.bracket_item()? {
                Item::Class(s) => {
                    for (d, x) in set.iter_mut().zip(s.iter()) {
                        *d |= *x;
                    }
                    continue;
                }
                Item::Byte(b) => b,
            };
            // A range, unless the '-' is last.
            if self.peek() == Some(b'-') && self.p.get(self.i + 1).is_some_and(|&n| n != b']') {
                self.i += 1;
                let hi = match self.bracket_item()? {
                    Item::Byte(b) => b,
                    Item::Class(_) => {
                        return Err(RegexError("Invalid range in bracket expression."))
                    }
                };
                if hi < lo {
                    return Err(RegexError("Invalid range in bracket expression."));
                }
                for b in lo..=hi {
                    set[b as usize] = true;
                }
            } else {
                set[lo as usize] = true;
            }
        }
        if negate {
            for x in set.iter_mut() {
                *x = !*x;
            }
            set[0] = false;
        }
        Ok(set)
    }

    fn bracket_item(&mut self) -> Result<Item, RegexError> {
        let bad = RegexError("Unexpected character in bracket expression.");
        let c = self.peek().ok_or(bad.clone())?;
        self.i += 1;
        if c != b'[' {
            return Ok(Item::Byte(c));
        }
        let kind = match self.peek() {
            Some(k @ (b':' | b'=' | b'.')) => k,
            _ => return Ok(Item::Byte(b'[')),
        };
        self.i += 1;
        let start = self.i;
        while !(self.peek() == Some(kind) && self.p.get(self.i + 1) == Some(&b']')) {
            if self.peek().is_none() {
                return Err(bad);
            }
            self.i += 1;
        }
        let name = &self.p[start..self.i];
        self.i += 2;
        match kind {
            b':' => class_set(name)
                .map(Item::Class)
                .ok_or(RegexError("Invalid character class.")),
            _ => match name {
                [b] => Ok(Item::Byte(*b)),
                _ => Err(RegexError("Invalid collate element.")),
            },
        }
    }
}

enum Item {
    Byte(u8),
    Class(Box<ByteSet>),
}

struct Emitter {
    prog: Vec<Inst>,
}

impl Emitter {
    fn push(&mut self, i: Inst) -> Result<usize, RegexError> {
        if self.prog.len() >= MAX_PROGRAM {
            return Err(RegexError("Regular expression too large."));
        }
        self.prog.push(i);
        Ok(self.prog.len() - 1)
    }

    fn patch(&mut self, at: usize, inst: Inst) {
        if let Some(slot) = self.prog.get_mut(at) {
            *slot = inst;
        }
    }

    fn emit(&mut self, n: &Node) -> Result<(), RegexError> {
        match n {
            Node::Empty => {}
            Node::Set(s) => {
                self.push(Inst::Set(s.clone()))?;
            }
            Node::Bol => {
                self.push(Inst::Bol)?;
            }
            Node::Eol => {
                self.push(Inst::Eol)?;
            }
            Node::Cat(v) => {
                for x in v {
                    self.emit(x)?;
                }
            }
            Node::Alt(v) => {
                let mut jumps = Vec::new();
                for (k, x) in v.iter().enumerate() {
                    if k + 1 < v.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(x)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.prog.len();
                        self.patch(split, Inst::Split(split + 1, next));
                    } else {
                        self.emit(x)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.patch(j, Inst::Jmp(end));
                }
            }
            Node::Repeat(x, min, max) => {
                for _ in 0..*min {
                    self.emit(x)?;
                }
                match max {
                    None => {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(x)?;
                        self.push(Inst::Jmp(split))?;
                        let end = self.prog.len();
                        self.patch(split, Inst::Split(split + 1, end));
                    }
                    Some(m) => {
                        let mut splits = Vec::new();
                        for _ in *min..*m {
                            splits.push(self.push(Inst::Split(0, 0))?);
                            self.emit(x)?;
                        }
                        let end = self.prog.len();
                        for s in splits {
                            self.patch(s, Inst::Split(s + 1, end));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl Regex {
    /// Compiles an `egrep` pattern.
    pub fn new(pattern: &str) -> Result<Regex, RegexError> {
        let mut p = Parser {
            p: pattern.as_bytes(),
            i: 0,
            depth: 0,
        };
        let node = p.alt()?;
        if p.i < p.p.len() {
            return Err(RegexError("Mismatched '(' and ')' in regular expression"));
        }
        let mut e = Emitter { prog: Vec::new() };
        e.emit(&node)?;
        e.push(Inst::Match)?;
        Ok(Regex { prog: e.prog })
    }

    /// The leftmost-longest match in `text`, as `(start, end)` byte offsets.
    pub fn search(&self, text: &[u8]) -> Option<(usize, usize)> {
        let mut vm = Vm {
            mark: vec![usize::MAX; self.prog.len()],
            gen: 0,
            cur: Vec::new(),
            next: Vec::new(),
            stack: Vec::new(),
        };
        (0..=text.len()).find_map(|s| self.longest_from(&mut vm, text, s).map(|e| (s, e)))
    }

    fn longest_from(&self, vm: &mut Vm, text: &[u8], start: usize) -> Option<usize> {
        let mut best = None;
        vm.cur.clear();
        vm.gen += 1;
        if self.closure(vm, 0, start, text, false) {
            best = Some(start);
        }
        let mut pos = start;
        while pos < text.len() && !vm.cur.is_empty() {
            let b = text[pos] as usize;
            vm.gen += 1;
            vm.next.clear();
            let threads = std::mem::take(&mut vm.cur);
            let mut matched = false;
            for &pc in &threads {
                if let Some(Inst::Set(s)) = self.prog.get(pc) {
                    if s[b] && self.closure(vm, pc + 1, pos + 1, text, true) {
                        matched = true;
                    }
                }
            }
            vm.cur = threads;
            std::mem::swap(&mut vm.cur, &mut vm.next);
            pos += 1;
            if matched {
                best = Some(pos);
            }
        }
        best
    }

    /// Adds the threads reachable from `pc` without consuming input at
    /// `pos` to the current (or, if `to_next`, the next) list; returns
    /// whether `Match` is reachable.
    fn closure(&self, vm: &mut Vm, pc: usize, pos: usize, text: &[u8], to_next: bool) -> bool {
        let mut matched = false;
        vm.stack.push(pc);
        while let Some(pc) = vm.stack.pop() {
            if vm.mark.get(pc).is_none_or(|&g| g == vm.gen) {
                continue;
            }
            vm.mark[pc] = vm.gen;
            match &self.prog[pc] {
                Inst::Set(_) => {
                    if to_next {
                        vm.next.push(pc);
                    } else {
                        vm.cur.push(pc);
                    }
                }
                Inst::Split(a, b) => {
                    vm.stack.push(*b);
                    vm.stack.push(*a);
                }
                Inst::Jmp(a) => vm.stack.push(*a),
                Inst::Bol => {
                    if pos == 0 {
                        vm.stack.push(pc + 1);
                    }
                }
                Inst::Eol => {
                    if pos == text.len() {
                        vm.stack.push(pc + 1);
                    }
                }
                Inst::Match => matched = true,
            }
        }
        matched
    }
}

struct Vm {
    mark: Vec<usize>,
    gen: usize,
    cur: Vec<usize>,
    next: Vec<usize>,
    stack: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn m(p: &str, t: &str) -> Option<(usize, usize)> {
        Regex::new(p).unwrap().search(t.as_bytes())
    }

    fn err(p: &str) -> &'static str {
        Regex::new(p).unwrap_err().0
    }

    #[test]
    fn matches_like_neuron() {
        assert_eq!(m("[0-9]+", "abc123def"), Some((3, 6)));
        assert_eq!(m("x*", "abc"), Some((0, 0)));
        assert_eq!(m("a|ab", "abx"), Some((0, 2)));
        assert_eq!(m("(abc)*", "xabcabc"), Some((0, 0)));
        assert_eq!(m("(abc)+", "xabcabc"), Some((1, 7)));
        assert_eq!(m("b?c", "abc"), Some((1, 3)));
        assert_eq!(m("\\+", "a+c"), Some((1, 2)));
        assert_eq!(m("[]]", "ab]c"), Some((2, 3)));
        assert_eq!(m("[a-]", "ab-c"), Some((0, 1)));
        assert_eq!(m("[^A-Z]", "AB-c"), Some((2, 3)));
        assert_eq!(m("$", "abc"), Some((3, 3)));
        assert_eq!(m("^", "abc"), Some((0, 0)));
        assert_eq!(m("c|", "abc"), Some((0, 0)));
        assert_eq!(m("B", "abc"), None);
        assert_eq!(m("\\.[^.]*$", "a.b.c"), Some((3, 5)));
        assert_eq!(m("[[:upper:]]", "aXb"), Some((1, 2)));
        assert_eq!(m("a{2}", "aaa"), Some((0, 2)));
        assert_eq!(m("a{1,}b", "xaaab"), Some((1, 5)));
        assert_eq!(m("(a|ab)(c|bcd)", "abcd"), Some((0, 4)));
        assert_eq!(m("((a*)*)*b", "aaab"), Some((0, 4)));
        assert_eq!(m("^b", "ab"), None);
        assert_eq!(m("", ""), Some((0, 0)));
    }

    #[test]
    fn errors_like_libstdcxx() {
        assert_eq!(err("("), "Parenthesis is not closed.");
        assert_eq!(err("["), "Unexpected character in bracket expression.");
        assert_eq!(err("a{"), "Unexpected token in brace expression.");
        assert_eq!(err("*a"), "Mismatched '(' and ')' in regular expression");
        assert_eq!(err("a)"), "Mismatched '(' and ')' in regular expression");
        assert_eq!(err("\\d"), "Unexpected escape character.");
        assert_eq!(err("\\"), "Unexpected end of regex when escaping.");
        assert_eq!(err("[z-a]"), "Invalid range in bracket expression.");
        assert_eq!(err("a{3,1}"), "Invalid range in brace expression.");
        assert_eq!(err("[[:nope:]]"), "Invalid character class.");
        assert!(Regex::new("(a{1000}){1000}").is_err());
        assert!(Regex::new(&"(".repeat(100_000)).is_err());
        assert!(Regex::new(&format!("a{}", "*".repeat(100_000))).is_err());
        assert!(Regex::new(&format!("{}a{}", "(".repeat(400), ")*".repeat(400))).is_ok());
    }
}
