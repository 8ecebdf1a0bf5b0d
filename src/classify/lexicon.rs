//! The boilerplate lexicon: phrases that mark calls to action, legal notices, navigation and the
//! like, kept as data tables (one a language, in `lexicon/`) and matched in one pass.

use std::sync::LazyLock;

/// The kinds of boilerplate a lexicon phrase points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Category {
    /// Calls to action: subscribe, donate, sign up.
    CallToAction = 0,
    /// Sharing and social buttons.
    Share,
    /// Copyright, privacy, cookies, terms.
    Legal,
    /// Advertising labels.
    Ad,
    /// Comment-system notices.
    Comments,
    /// Navigation words.
    Navigation,
    /// Lists of other articles.
    Related,
    /// Photo credits.
    Credit,
    /// Dates and bylines.
    Meta,
}

/// Number of categories.
pub const CATEGORIES: usize = 9;

impl Category {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "cta" => Category::CallToAction,
            "share" => Category::Share,
            "legal" => Category::Legal,
            "ad" => Category::Ad,
            "comments" => Category::Comments,
            "nav" => Category::Navigation,
            "related" => Category::Related,
            "credit" => Category::Credit,
            "meta" => Category::Meta,
            _ => return None,
        })
    }
}

/// The tables compiled into deboil, one per language.
const TABLES: &[(&str, &str)] = &[
    ("en", include_str!("lexicon/en.tsv")),
    ("de", include_str!("lexicon/de.tsv")),
    ("fr", include_str!("lexicon/fr.tsv")),
    ("es", include_str!("lexicon/es.tsv")),
];

/// Stop-word lists compiled into deboil, one per language.
const STOPWORDS: &[(&str, &str)] = &[
    ("en", include_str!("lexicon/stopwords-en.txt")),
    ("de", include_str!("lexicon/stopwords-de.txt")),
    ("fr", include_str!("lexicon/stopwords-fr.txt")),
    ("es", include_str!("lexicon/stopwords-es.txt")),
    ("it", include_str!("lexicon/stopwords-it.txt")),
    ("nl", include_str!("lexicon/stopwords-nl.txt")),
    ("pl", include_str!("lexicon/stopwords-pl.txt")),
    ("pt", include_str!("lexicon/stopwords-pt.txt")),
    ("ru", include_str!("lexicon/stopwords-ru.txt")),
];

/// What the lexicon found in one block.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Hits {
    /// Sum of phrase weights, per [`Category`].
    pub weight: [u8; CATEGORIES],
    /// Bytes of the (lower-cased) block covered by matched phrases.
    pub covered_bytes: u32,
}

impl Hits {
    /// The weight found for one category.
    pub fn of(&self, category: Category) -> u8 {
        self.weight[category as usize]
    }

    /// Total weight over all categories but [`Category::Meta`], which is too common in prose.
    pub fn boilerplate_weight(&self) -> u32 {
        self.weight
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != Category::Meta as usize)
            .map(|(_, &w)| w as u32)
            .sum()
    }
}

/// A compiled lexicon.
pub struct Lexicon {
    /// The phrases, leftmost-longest.
    matcher: Dfa,
    /// Category and weight of each pattern, by pattern index.
    entries: Vec<(Category, u8, bool, bool)>,
    stopwords: rustc_hash::FxHashSet<&'static str>,
    /// The ASCII stop words, for [`Lexicon::is_ascii_stopword`].
    ascii_stopwords: PackedWords,
}

/// The lexicon of every compiled-in language, built on first use.
pub static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::builtin);

impl Lexicon {
    fn builtin() -> Self {
        let mut patterns = Vec::new();
        let mut entries = Vec::new();
        for (_, table) in TABLES {
            for line in table.lines() {
                let line = line.trim_end();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let mut fields = line.splitn(3, '\t');
                let (Some(category), Some(weight), Some(phrase)) =
                    (fields.next(), fields.next(), fields.next())
                else {
                    continue;
                };
                let (Some(category), Ok(weight)) = (Category::parse(category), weight.parse())
                else {
                    continue;
                };
                let phrase = phrase.to_lowercase();
                let starts_word = phrase.chars().next().is_some_and(char::is_alphanumeric);
                let ends_word = phrase.chars().last().is_some_and(char::is_alphanumeric);
                patterns.push(phrase);
                entries.push((category, weight, starts_word, ends_word));
            }
        }
        let matcher = Dfa::new(&patterns);
        let stopwords: rustc_hash::FxHashSet<&'static str> = STOPWORDS
            .iter()
            .flat_map(|(_, list)| list.lines().map(str::trim).filter(|w| !w.is_empty()))
            .collect();
        let ascii_stopwords = PackedWords::new(
            stopwords
                .iter()
                .filter(|w| w.is_ascii() && w.len() <= PackedWords::MAX_BYTES)
                // A word with a capital could never equal a lower-cased word.
                .filter(|w| !w.bytes().any(|b| b.is_ascii_uppercase())),
        );
        Lexicon {
            matcher,
            entries,
            stopwords,
            ascii_stopwords,
        }
    }

    /// Finds the lexicon's phrases in `lowercase`, a block's text already lower-cased.
    pub fn hits(&self, lowercase: &str) -> Hits {
        let mut hits = Hits::default();
        self.matcher
            .find_iter(lowercase.as_bytes(), &self.matcher.classes, |m| {
                self.tally(&mut hits, lowercase, m)
            });
        hits
    }

    /// Finds the lexicon's phrases in `text`, ASCII letters in any case: the same as
    /// [`Lexicon::hits`] on its lower case, without lower-casing it first (upper-case ASCII
    /// letters take the transitions of their lower case), when lower-casing `text` changes only
    /// its ASCII letters (its other characters are punctuation, symbols or lower-case letters).
    pub fn hits_ascii(&self, text: &str) -> Hits {
        debug_assert!(
            text.chars()
                .all(|c| c.is_ascii() || super::features::lowers_to_itself(c))
        );
        let mut hits = Hits::default();
        self.matcher
            .find_iter(text.as_bytes(), &self.matcher.folded_classes, |m| {
                self.tally(&mut hits, text, m)
            });
        hits
    }

    /// [`Lexicon::hits_ascii`] of each of `texts`, searched two at a time: the search of one
    /// text waits on a load at every byte, and two searches in one loop overlap their waits.
    pub fn hits_ascii_each(&self, texts: &[&str]) -> Vec<Hits> {
        let mut hits = vec![Hits::default(); texts.len()];
        self.matcher
            .find_iter_each(texts, &self.matcher.folded_classes, |i, m| {
                self.tally(&mut hits[i], texts[i], m)
            });
        hits
    }

    /// Counts a match (pattern, start, end) unless a word phrase starts or ends inside a word.
    fn tally(&self, hits: &mut Hits, text: &str, (pattern, start, end): (u32, usize, usize)) {
        let (category, weight, starts_word, ends_word) = self.entries[pattern as usize];
        if starts_word && ends_in_word(&text[..start]) {
            return;
        }
        if ends_word && starts_in_word(&text[end..]) {
            return;
        }
        let slot = &mut hits.weight[category as usize];
        *slot = slot.saturating_add(weight);
        hits.covered_bytes += (end - start) as u32;
    }

    /// Whether `word` (lower-case) is a stop word of a compiled-in language.
    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    /// Whether `word`, ASCII in any letter case, lower-cased is a stop word (of at most 16
    /// bytes).
    pub fn is_ascii_stopword(&self, word: &[u8]) -> bool {
        self.ascii_stopwords.contains(word)
    }

    /// [`Lexicon::is_ascii_stopword`] of `bytes[start..end]`, which are ASCII.
    pub(crate) fn is_ascii_stopword_at(&self, bytes: &[u8], start: usize, end: usize) -> bool {
        self.ascii_stopwords.contains_at(bytes, start, end)
    }
}

/// The lexicon's automaton: the leftmost-longest Aho-Corasick automaton that the `aho-corasick`
/// crate builds (see [`Trie`]), made deterministic in a compact table of our own (the crate's
/// DFA is several times larger, and its search loop reloads it at every byte), searched with the
/// crate's semantics: from a start position, run until the dead state or the end, remembering
/// the last match state passed; report that match and start again at its end.
///
/// The table is laid out by byte class, then by state, in 16-bit state numbers: states are
/// numbered breadth first, so the transitions a search takes most (from the states near the
/// start) lie together in each class's column, in a table half the size of one laid out by
/// state in 32-bit entries (whose search was 9% slower).
struct Dfa {
    /// Next state by byte class and state: `next[class_offset + state]`, padded with dead
    /// states to a power of two so that an index masked to [`TABLE_LEN`] needs no bounds check
    /// in the search loop.
    next: Box<[u16; TABLE_LEN]>,
    /// Where the column of each byte's class starts in `next`.
    classes: [u32; 256],
    /// The same with ASCII upper-case letters in the class of their lower case.
    folded_classes: [u32; 256],
    start: u16,
    /// States below this are special: the dead state (0), then the match states.
    first_plain: u16,
    /// Pattern and length of the match of each match state, by state.
    matches: Vec<(u32, u32)>,
}

/// The length of the automaton's table (a power of two, at least its classes times its states:
/// 41 times 2,665 for the built-in lexicon).
const TABLE_LEN: usize = 1 << 17;

/// The leftmost-longest Aho-Corasick automaton of a set of patterns, as the `aho-corasick` crate
/// builds it (its `noncontiguous` NFA), with every move resolved: a trie of the patterns whose
/// missing transitions lead where the crate's failure links would. Built here rather than read
/// from the crate's NFA, which took 18 M instructions a run (3% of a run over a 12 MB sample)
/// to build and then to ask for each move (a move of its NFA follows failure links).
///
/// Its leftmost rule: the failure link of a node that ends a pattern is the dead state, as is
/// every link through one, so that once a match is seen no later-starting match is looked for.
struct Trie {
    /// Byte class of each byte: one a byte that occurs in a pattern, in ascending order, then
    /// one for all the bytes that occur in none (no two pattern bytes move alike: from the
    /// node before a byte in its pattern, only that byte leads to the next node).
    classes: [u8; 256],
    /// Number of classes.
    classes_len: usize,
    /// Moves by node and class: `moves[node * classes_len + class]`; nodes are numbered as
    /// made, after [`Trie::DEAD`] and [`Trie::START`].
    moves: Vec<u32>,
    /// The match each node reports (the first pattern it ends, else its failure link's), or
    /// [`Trie::NO_MATCH`].
    matches: Vec<u32>,
}

impl Trie {
    /// The dead state: every move leads back to it.
    const DEAD: u32 = 0;
    /// The start: the empty prefix.
    const START: u32 = 1;
    /// [`Trie::matches`] of a node that reports no match.
    const NO_MATCH: u32 = u32::MAX;

    /// The automaton of `patterns` (none empty).
    fn new(patterns: &[String]) -> Trie {
        let (classes, classes_len) = byte_classes(patterns);
        let most_nodes = 2 + patterns.iter().map(String::len).sum::<usize>();
        let mut trie = Trie {
            classes,
            classes_len,
            moves: Vec::with_capacity(most_nodes * classes_len),
            matches: Vec::with_capacity(most_nodes),
        };
        trie.add_node();
        trie.add_node();
        for (id, pattern) in patterns.iter().enumerate() {
            trie.add_pattern(id as u32, pattern.as_bytes());
        }
        trie.resolve_missing_moves();
        trie
    }

    /// Adds a node with no moves (every move to [`Trie::DEAD`]) and no match.
    fn add_node(&mut self) -> u32 {
        self.moves
            .resize(self.moves.len() + self.classes_len, Trie::DEAD);
        self.matches.push(Trie::NO_MATCH);
        (self.matches.len() - 1) as u32
    }

    /// Number of nodes, the dead state and the start included.
    fn nodes(&self) -> usize {
        self.matches.len()
    }

    /// Where `node`'s move on `class` is held in [`Trie::moves`].
    fn at(&self, node: u32, class: usize) -> usize {
        node as usize * self.classes_len + class
    }

    /// Adds the nodes of `pattern` (pattern number `id`) that the trie lacks; its last node
    /// reports it unless an earlier pattern of the same bytes came first. (Until
    /// [`Trie::resolve_missing_moves`], a move to the dead state is a missing edge: no edge of
    /// the trie leads to the dead state.)
    fn add_pattern(&mut self, id: u32, pattern: &[u8]) {
        let mut node = Trie::START;
        for &byte in pattern {
            let at = self.at(node, usize::from(self.classes[usize::from(byte)]));
            node = match self.moves[at] {
                Trie::DEAD => {
                    let child = self.add_node();
                    self.moves[at] = child;
                    child
                }
                child => child,
            };
        }
        let reported = &mut self.matches[node as usize];
        if *reported == Trie::NO_MATCH {
            *reported = id;
        }
    }

    /// Replaces each missing edge by the move the crate's failure links lead to, breadth first,
    /// so that a node's failure link (a shorter node) has all its moves when the node is
    /// reached: a missing edge of the start leads back to the start; one of any other node
    /// leads where its failure link's move does. The failure link of a child is the start for
    /// the start's children, else its parent's link's move on the child's byte; and the dead
    /// state for a child that ends a pattern (the leftmost rule). A child that ends none
    /// reports what its failure link reports.
    fn resolve_missing_moves(&mut self) {
        let mut fails = vec![Trie::START; self.nodes()];
        fails[Trie::START as usize] = Trie::DEAD;
        let mut queue = vec![Trie::START];
        let mut next = 0;
        while let Some(&node) = queue.get(next) {
            next += 1;
            let fail = fails[node as usize];
            for class in 0..self.classes_len {
                let at = self.at(node, class);
                let fallback = match node {
                    Trie::START => Trie::START,
                    _ => self.moves[self.at(fail, class)],
                };
                let child = self.moves[at];
                if child == Trie::DEAD {
                    self.moves[at] = fallback;
                    continue;
                }
                queue.push(child);
                let child = child as usize;
                if self.matches[child] == Trie::NO_MATCH {
                    fails[child] = fallback;
                    self.matches[child] = self.matches[fallback as usize];
                } else {
                    fails[child] = Trie::DEAD;
                }
            }
        }
    }
}

/// Each byte's class for the automaton of `patterns` (see [`Trie::classes`]), and the number of
/// classes.
fn byte_classes(patterns: &[String]) -> ([u8; 256], usize) {
    let mut in_patterns = [false; 256];
    for byte in patterns.iter().flat_map(|p| p.bytes()) {
        in_patterns[byte as usize] = true;
    }
    let pattern_bytes = in_patterns.iter().filter(|&&seen| seen).count();
    // The class of the bytes in no pattern comes last (there is none if every byte is in one).
    let mut classes = [pattern_bytes as u8; 256];
    let bytes_in_patterns = (0..=255u8).filter(|&byte| in_patterns[byte as usize]);
    for (class, byte) in bytes_in_patterns.enumerate() {
        classes[byte as usize] = class as u8;
    }
    let classes_len = pattern_bytes + usize::from(pattern_bytes < 256);
    assert!(classes_len <= 256, "a class is a byte");
    (classes, classes_len)
}

/// Every node of `trie` reachable from its start, in the order found breadth first (moves taken
/// in class order).
fn breadth_first(trie: &Trie) -> Vec<u32> {
    let mut found = vec![false; trie.nodes()];
    found[Trie::START as usize] = true;
    let mut order = vec![Trie::START];
    let mut next = 0;
    while let Some(&node) = order.get(next) {
        next += 1;
        let row = trie.at(node, 0);
        for &to in &trie.moves[row..row + trie.classes_len] {
            if !std::mem::replace(&mut found[to as usize], true) {
                order.push(to);
            }
        }
    }
    order
}

impl Dfa {
    fn new(patterns: &[String]) -> Dfa {
        assert!(
            patterns.iter().all(|p| !p.is_empty()),
            "empty lexicon phrase"
        );
        let trie = Trie::new(patterns);
        // Dead first, then match states, then the others (each in the order found).
        let rank = |node: u32| {
            if node == Trie::DEAD {
                0
            } else if trie.matches[node as usize] != Trie::NO_MATCH {
                1
            } else {
                2
            }
        };
        let mut states = breadth_first(&trie);
        states.sort_by_key(|&node| rank(node));
        // Leftmost searches stop at the dead state once a match cannot grow.
        assert!(states[0] == Trie::DEAD && states[1] != Trie::DEAD);
        let states_len = states.len();
        assert!(
            states_len <= usize::from(u16::MAX),
            "the lexicon's states fit 16 bits"
        );
        assert!(
            trie.classes_len * states_len <= TABLE_LEN,
            "the lexicon's automaton fits its table (raise TABLE_LEN)"
        );
        // The state number of each node.
        let mut index = vec![0u16; trie.nodes()];
        for (state, &node) in states.iter().enumerate() {
            index[node as usize] = state as u16;
        }
        let mut table: Box<[u16; TABLE_LEN]> = vec![0; TABLE_LEN]
            .into_boxed_slice()
            .try_into()
            .expect("the table has TABLE_LEN entries");
        for (state, &node) in states.iter().enumerate() {
            let row = trie.at(node, 0);
            for (class, &to) in trie.moves[row..row + trie.classes_len].iter().enumerate() {
                table[class * states_len + state] = index[to as usize];
            }
        }
        let offset = |class: u8| u32::from(class) * states_len as u32;
        let mut folded_classes = trie.classes;
        for byte in b'A'..=b'Z' {
            folded_classes[byte as usize] = trie.classes[byte.to_ascii_lowercase() as usize];
        }
        let plain = states.iter().filter(|&&node| rank(node) < 2).count() as u16;
        let matches = states
            .iter()
            .map(|&node| match trie.matches[node as usize] {
                Trie::NO_MATCH => (0, 0),
                pattern => (pattern, patterns[pattern as usize].len() as u32),
            })
            .collect();
        Dfa {
            next: table,
            classes: trie.classes.map(offset),
            folded_classes: folded_classes.map(offset),
            start: index[Trie::START as usize],
            first_plain: plain,
            matches,
        }
    }

    /// Calls `found` with (pattern, start, end) for every match, leftmost-longest and not
    /// overlapping, as `aho_corasick::AhoCorasick::find_iter` reports them.
    fn find_iter(
        &self,
        haystack: &[u8],
        classes: &[u32; 256],
        mut found: impl FnMut((u32, usize, usize)),
    ) {
        let mut search = Search::new(haystack, self.start);
        self.finish(&mut search, classes, &mut found);
    }

    /// [`Dfa::find_iter`] over each of `haystacks`, reporting each match with the index of its
    /// haystack: two searches run together, each turn advancing both automata a byte (a search
    /// waits on a load at every byte, and two independent searches overlap their waits); as
    /// one ends, the next haystack takes its place, so that both stay busy to the last.
    fn find_iter_each<H: AsRef<[u8]>>(
        &self,
        haystacks: &[H],
        classes: &[u32; 256],
        mut found: impl FnMut(usize, (u32, usize, usize)),
    ) {
        let mut queue = haystacks
            .iter()
            .map(|h| Search::new(h.as_ref(), self.start))
            .enumerate();
        let (Some(mut a), Some(mut b)) = (queue.next(), queue.next()) else {
            for (i, haystack) in haystacks.iter().enumerate() {
                self.find_iter(haystack.as_ref(), classes, |m| found(i, m));
            }
            return;
        };
        loop {
            self.run_pair(&mut a.1, &mut b.1, classes, |lane, m| {
                found(if lane == 0 { a.0 } else { b.0 }, m)
            });
            if a.1.done {
                match queue.next() {
                    Some(next) => a = next,
                    None => return self.finish(&mut b.1, classes, &mut |m| found(b.0, m)),
                }
            }
            if b.1.done {
                match queue.next() {
                    Some(next) => b = next,
                    None => return self.finish(&mut a.1, classes, &mut |m| found(a.0, m)),
                }
            }
        }
    }

    /// Advances `a` and `b` together, a byte of each at a time, until one enters a special state
    /// or reaches its end, and acts on that (reporting matches by lane, 0 for `a` and 1 for `b`).
    ///
    /// Eight bytes of each a turn, as in [`Dfa::run_to_special`]: the bytes are read at fixed
    /// offsets from the turn's start, with no counter or end check between them (14 instructions
    /// a pair of bytes, down from 19).
    #[inline(always)]
    fn run_pair(
        &self,
        a: &mut Search<'_>,
        b: &mut Search<'_>,
        classes: &[u32; 256],
        mut found: impl FnMut(usize, (u32, usize, usize)),
    ) {
        let first_plain = usize::from(self.first_plain);
        let step = |state, byte| self.step(classes, state, byte);
        let n = (a.haystack.len() - a.at).min(b.haystack.len() - b.at);
        let (mut x, mut y) = (a.state, b.state);
        let mut ran = n;
        let mut stopped = false;
        // Eight bytes of each a turn, then the last one to seven.
        let (a_turns, a_tail) = a.haystack[a.at..a.at + n].as_chunks::<8>();
        let (b_turns, b_tail) = b.haystack[b.at..b.at + n].as_chunks::<8>();
        'turns: for (i, (p, q)) in a_turns.iter().zip(b_turns).enumerate() {
            for k in 0..8 {
                x = step(x, p[k]);
                y = step(y, q[k]);
                if (x < first_plain) | (y < first_plain) {
                    (ran, stopped) = (8 * i + k + 1, true);
                    break 'turns;
                }
            }
        }
        if !stopped {
            let tail_at = 8 * a_turns.len();
            for (k, (&p, &q)) in a_tail.iter().zip(b_tail).enumerate() {
                x = step(x, p);
                y = step(y, q);
                if (x < first_plain) | (y < first_plain) {
                    (ran, stopped) = (tail_at + k + 1, true);
                    break;
                }
            }
        }
        a.advance(ran, x);
        b.advance(ran, y);
        self.settle(a, stopped && x < first_plain, &mut |m| found(0, m));
        self.settle(b, stopped && y < first_plain, &mut |m| found(1, m));
    }

    /// Runs `search` to its end alone.
    #[inline(always)]
    fn finish(
        &self,
        search: &mut Search<'_>,
        classes: &[u32; 256],
        found: &mut impl FnMut((u32, usize, usize)),
    ) {
        while !search.done {
            match self.run_to_special(search.haystack, classes, search.at, search.state) {
                Some((after, special)) => {
                    search.at = after;
                    search.state = special;
                    self.enter_special(search, found);
                }
                None => search.restart(self.start, found),
            }
        }
    }

    /// After a turn of [`Dfa::run_pair`]: acts on the special state `search` entered
    /// (`special`), or on its end if it has reached it.
    #[inline(always)]
    fn settle(
        &self,
        search: &mut Search<'_>,
        special: bool,
        found: &mut impl FnMut((u32, usize, usize)),
    ) {
        if special {
            self.enter_special(search, found);
        } else if search.at == search.haystack.len() {
            search.restart(self.start, found);
        }
    }

    /// `search` has just entered a special state: the dead state ends the attempt, a match
    /// state is remembered (a longer match may follow).
    #[inline(always)]
    fn enter_special(&self, search: &mut Search<'_>, found: &mut impl FnMut((u32, usize, usize))) {
        if search.state == 0 {
            search.restart(self.start, found);
        } else {
            let (pattern, len) = self.matches[search.state];
            search.last = Some((pattern, search.at - len as usize, search.at));
        }
    }

    /// The state the automaton moves to from `state` on `byte`, its class read in `classes`.
    /// The masked index needs no bounds check (the table is padded to `TABLE_LEN`).
    #[inline(always)]
    fn step(&self, classes: &[u32; 256], state: usize, byte: u8) -> usize {
        let column = classes[byte as usize] as usize;
        usize::from(self.next[(column + state) & (TABLE_LEN - 1)])
    }

    /// Runs the automaton from `state` over `haystack[at..]` until it enters a special state
    /// (dead or matching): returns where it stopped (just past the byte that led there) and
    /// that state, or `None` at the end of `haystack`.
    ///
    /// Eight bytes a turn: the end is checked once a turn rather than once a byte (10
    /// instructions a byte down to 6.5: a load of the byte and of its class, an add, the mask, a
    /// load of the next state, a compare; four bytes a turn took 7, and sixteen cost more in all,
    /// with longer tails). States are held as machine words: widening each state loaded would
    /// add a step to the chain of dependent loads that the search is.
    #[inline(always)]
    fn run_to_special(
        &self,
        haystack: &[u8],
        classes: &[u32; 256],
        at: usize,
        mut state: usize,
    ) -> Option<(usize, usize)> {
        let first_plain = usize::from(self.first_plain);
        let step = |state, byte| self.step(classes, state, byte);
        let (turns, tail) = haystack[at..].as_chunks::<8>();
        // An index loop rather than an enumerated iterator: one counter a turn, not a pointer
        // and a counter.
        let mut i = 0;
        while i < turns.len() {
            for (k, &byte) in turns[i].iter().enumerate() {
                state = step(state, byte);
                if state < first_plain {
                    return Some((at + 8 * i + k + 1, state));
                }
            }
            i += 1;
        }
        let tail_at = at + 8 * turns.len();
        for (k, &byte) in tail.iter().enumerate() {
            state = step(state, byte);
            if state < first_plain {
                return Some((tail_at + k + 1, state));
            }
        }
        None
    }
}

/// One leftmost-longest search of [`Dfa::find_iter`] in progress: an attempt runs from a start
/// position until the dead state or the end, remembering the last match state passed; its match
/// is reported and the next attempt starts at its end.
struct Search<'h> {
    haystack: &'h [u8],
    /// The next byte to read.
    at: usize,
    /// The automaton's state before `haystack[at]`.
    state: usize,
    /// The last match of this attempt: (pattern, start, end).
    last: Option<(u32, usize, usize)>,
    /// Whether an attempt found nothing, which ends the search.
    done: bool,
}

impl<'h> Search<'h> {
    fn new(haystack: &'h [u8], start: u16) -> Self {
        Search {
            haystack,
            at: 0,
            state: usize::from(start),
            last: None,
            done: false,
        }
    }

    /// Moves `read` bytes on, into `state`.
    #[inline(always)]
    fn advance(&mut self, read: usize, state: usize) {
        self.at += read;
        self.state = state;
    }

    /// Ends the attempt: reports its match and starts the next at the match's end, or ends the
    /// search if it found none.
    #[inline(always)]
    fn restart(&mut self, start: u16, found: &mut impl FnMut((u32, usize, usize))) {
        match self.last.take() {
            Some(m) => {
                found(m);
                self.at = m.2;
                self.state = usize::from(start);
            }
            None => self.done = true,
        }
    }
}

fn ends_in_word(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

fn starts_in_word(after: &str) -> bool {
    after.chars().next().is_some_and(char::is_alphanumeric)
}

/// A set of short ASCII words, looked up without hashing strings: a word is first tried against
/// a bit filter indexed by its length and first two letters, then packed, lower-cased and padded
/// with zero bytes, into two 64-bit integers (it holds no zero byte, so the packing is one to
/// one) and found in an open-addressed table.
struct PackedWords {
    /// Packed words of at most eight bytes (the high half zero); empty slots are 0.
    short: Vec<u64>,
    /// Packed longer words; empty slots are (0, 0).
    long: Vec<(u64, u64)>,
    /// One bit per (length, first byte, second byte) of the words held, see [`filter_index`]:
    /// a power of two of bits, so that a masked index needs no bounds check.
    filter: Box<[u64; FILTER_WORDS]>,
    /// Length of the longest word held.
    longest: usize,
}

impl PackedWords {
    /// Longest word that may be held.
    pub const MAX_BYTES: usize = 16;

    fn new<'w>(words: impl Iterator<Item = &'w &'w str>) -> Self {
        let words: Vec<&str> = words.copied().collect();
        let size = (words.len() * 4).next_power_of_two().max(16);
        let mut set = PackedWords {
            short: vec![0; size],
            long: vec![(0, 0); 64],
            filter: Box::new([0; FILTER_WORDS]),
            longest: 0,
        };
        for word in words {
            let bytes = word.as_bytes();
            let at = filter_index(bytes, 0, bytes.len());
            set.filter[at >> 6 & (FILTER_WORDS - 1)] |= 1 << (at & 63);
            let packed = pack(bytes, 0, bytes.len());
            if bytes.len() <= 8 {
                let mut at = slot_of(packed.0, set.short.len());
                while set.short[at] != 0 && set.short[at] != packed.0 {
                    at = (at + 1) % set.short.len();
                }
                set.short[at] = packed.0;
            } else {
                let mut at = slot_of(packed.0 ^ packed.1, set.long.len());
                while set.long[at] != (0, 0) && set.long[at] != packed {
                    at = (at + 1) % set.long.len();
                }
                set.long[at] = packed;
            }
            set.longest = set.longest.max(word.len());
        }
        assert!(
            set.long.iter().filter(|slot| **slot != (0, 0)).count() * 2 <= set.long.len(),
            "few long stop words"
        );
        set
    }

    fn contains(&self, word: &[u8]) -> bool {
        word.is_ascii() && self.contains_at(word, 0, word.len())
    }

    /// Whether `bytes[start..end]` (ASCII) is held.
    #[inline]
    fn contains_at(&self, bytes: &[u8], start: usize, end: usize) -> bool {
        if start >= end || end - start > self.longest {
            return false;
        }
        let at = filter_index(bytes, start, end);
        if self.filter[at >> 6 & (FILTER_WORDS - 1)] & (1 << (at & 63)) == 0 {
            return false;
        }
        if end - start <= 8 {
            let packed = lower_ascii(load(bytes, start, end - start));
            let mut at = slot_of(packed, self.short.len());
            loop {
                let slot = self.short[at];
                if slot == packed {
                    return true;
                }
                if slot == 0 {
                    return false;
                }
                at = (at + 1) & (self.short.len() - 1);
            }
        }
        let packed = pack(bytes, start, end);
        let mut at = slot_of(packed.0 ^ packed.1, self.long.len());
        loop {
            let slot = self.long[at];
            if slot == packed {
                return true;
            }
            if slot == (0, 0) {
                return false;
            }
            at = (at + 1) & (self.long.len() - 1);
        }
    }
}

/// `take` (at most 8) bytes of `bytes` from `at`, little-endian, padded with zeros: one 8-byte
/// load where the bytes allow it.
#[inline]
fn load(bytes: &[u8], at: usize, take: usize) -> u64 {
    if take == 0 {
        return 0;
    }
    let word = match bytes.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("8 bytes")),
        None => bytes[at..at + take]
            .iter()
            .rev()
            .fold(0u64, |word, &b| (word << 8) | u64::from(b)),
    };
    if take >= 8 {
        word
    } else {
        word & ((1u64 << (8 * take)) - 1)
    }
}

/// The slot of a packed word in a table of `size` (a power of two) slots.
#[inline]
fn slot_of(packed: u64, size: usize) -> usize {
    (packed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & (size - 1)
}

/// `bytes[start..end]` (ASCII, at most 16 bytes) lower-cased, packed little-endian, padded with
/// zeros.
fn pack(bytes: &[u8], start: usize, end: usize) -> (u64, u64) {
    let len = end - start;
    debug_assert!(len <= PackedWords::MAX_BYTES);
    let low = load(bytes, start, len.min(8));
    let high = load(bytes, start + 8, len.saturating_sub(8));
    (lower_ascii(low), lower_ascii(high))
}

/// The eight ASCII bytes of `x` lower-cased.
#[inline]
fn lower_ascii(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low7 = x & !HIGH;
    let at_least_a = low7.wrapping_add(ONES * (0x80 - b'A' as u64));
    let past_z = low7.wrapping_add(ONES * (0x80 - b'Z' as u64 - 1));
    let upper = at_least_a & !past_z & !x & HIGH;
    x | (upper >> 2)
}

/// The filter bit of `bytes[start..end]` (ASCII, 1 to 16 bytes): its length and the low five
/// bits of its first two bytes (which ignore ASCII letter case).
fn filter_index(bytes: &[u8], start: usize, end: usize) -> usize {
    // One bounds check for the word, none for its first two bytes.
    let word = &bytes[start..end];
    let first = (word[0] & 31) as usize;
    let second = word.get(1).map_or(0, |&b| (b & 31) as usize);
    (word.len() << 10) | (first << 5) | second
}

/// 64-bit words of [`PackedWords::filter`]: a bit for each [`filter_index`] of a word of at most
/// [`PackedWords::MAX_BYTES`] bytes, rounded up to a power of two.
const FILTER_WORDS: usize = ((PackedWords::MAX_BYTES + 1) << 10 >> 6).next_power_of_two();

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::MatchKind;

    #[test]
    fn matches_on_word_boundaries_only() {
        let hits = LEXICON.hits("subscribe to our newsletter");
        assert_eq!(hits.of(Category::CallToAction), 4);
        let hits = LEXICON.hits("the subscribers' homework");
        assert_eq!(hits.of(Category::CallToAction), 2);
        assert_eq!(hits.of(Category::Navigation), 0, "'home' inside 'homework'");
    }

    #[test]
    fn symbols_match_without_word_boundaries() {
        let hits = LEXICON.hits("©2020 acme inc. all rights reserved");
        assert_eq!(hits.of(Category::Legal), 4);
    }

    /// The crate's own search over the same phrases: the reference for ours.
    fn reference_hits(lowercase: &str) -> Hits {
        static MATCHER: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(phrases())
                .unwrap()
        });
        let mut hits = Hits::default();
        for m in MATCHER.find_iter(lowercase) {
            LEXICON.tally(
                &mut hits,
                lowercase,
                (m.pattern().as_u32(), m.start(), m.end()),
            );
        }
        hits
    }

    fn phrases() -> Vec<String> {
        let mut patterns = Vec::new();
        for (_, table) in TABLES {
            for line in table.lines() {
                let line = line.trim_end();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let fields: Vec<&str> = line.splitn(3, '\t').collect();
                if let [category, weight, phrase] = fields[..]
                    && Category::parse(category).is_some()
                    && weight.parse::<u8>().is_ok()
                {
                    patterns.push(phrase.to_lowercase());
                }
            }
        }
        patterns
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn our_automaton_finds_what_the_crate_finds(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(phrases()),
                    "[a-zé©ü ,.]{0,4}",
                ],
                0..30,
            ),
        ) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(LEXICON.hits(&text), reference_hits(&text));
            if text.is_ascii() {
                let upper = text.to_ascii_uppercase();
                proptest::prop_assert_eq!(LEXICON.hits_ascii(&upper), reference_hits(&text));
            }
        }

        /// Texts of phrases (in either case) amid filler, of very unequal lengths, empty ones
        /// among them.
        #[test]
        fn texts_searched_together_are_searched_as_alone(
            texts in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        proptest::sample::select(phrases()),
                        proptest::strategy::Strategy::prop_map(
                            proptest::sample::select(phrases()),
                            |p| p.to_ascii_uppercase(),
                        ),
                        "[a-zA-Z ,.]{0,4}",
                        "[a-z ]{0,300}",
                    ],
                    0..12,
                ),
                0..7,
            ),
        ) {
            let texts: Vec<String> = texts
                .iter()
                .map(|pieces| pieces.concat())
                .filter(|text| is_caseless(text))
                .collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let alone: Vec<Hits> = texts.iter().map(|t| LEXICON.hits_ascii(t)).collect();
            proptest::prop_assert_eq!(LEXICON.hits_ascii_each(&texts), alone);
        }
    }

    /// Every match of `patterns` in `text`, by our automaton.
    fn our_matches(patterns: &[String], text: &str) -> Vec<(u32, usize, usize)> {
        let dfa = Dfa::new(patterns);
        let mut matches = Vec::new();
        dfa.find_iter(text.as_bytes(), &dfa.classes, |m| matches.push(m));
        matches
    }

    /// Every match of `patterns` in `text`, by the crate.
    fn crate_matches(patterns: &[String], text: &str) -> Vec<(u32, usize, usize)> {
        let matcher = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .unwrap();
        matcher
            .find_iter(text)
            .map(|m| (m.pattern().as_u32(), m.start(), m.end()))
            .collect()
    }

    #[test]
    fn the_trie_resolves_moves_as_failure_links_would() {
        let patterns: Vec<String> = ["abcd", "bc", "dab", "bc"].map(String::from).into();
        let trie = Trie::new(&patterns);
        // a, b, c, d, then the bytes in no pattern.
        assert_eq!(trie.classes_len, 5);
        assert_eq!(
            [b'a', b'b', b'c', b'd', b'e', 0].map(|b| trie.classes[b as usize]),
            [0, 1, 2, 3, 4, 4]
        );
        let walk = |bytes: &[u8]| {
            bytes.iter().fold(Trie::START, |node, &b| {
                trie.moves[trie.at(node, usize::from(trie.classes[b as usize]))]
            })
        };
        let report = |bytes: &[u8]| trie.matches[walk(bytes) as usize];
        assert_eq!(walk(b"e"), Trie::START);
        assert_eq!(walk(b"xxb"), walk(b"b"));
        // "abc" ends no pattern: it reports "bc" (the first of the two), its failure link's.
        assert_eq!(report(b"abc"), 1);
        assert_eq!(report(b"dab"), 2);
        assert_eq!(report(b"abcd"), 0);
        assert_eq!(report(b"a"), Trie::NO_MATCH);
        // Past a match, a move off the trie is dead (the leftmost rule), also through a link
        // to one: "abc" fails to "bc", which ends a pattern.
        assert_eq!(walk(b"dabx"), Trie::DEAD);
        assert_eq!(walk(b"dabc"), Trie::DEAD);
        assert_eq!(walk(b"bcb"), Trie::DEAD);
        assert_eq!(walk(b"abcb"), Trie::DEAD);
        assert_eq!(walk(b"abcdabc"), Trie::DEAD);
        // Before any match, a move off the trie falls back: "a" then "b" is "ab", "ba" is "a".
        assert_eq!(walk(b"ba"), walk(b"a"));
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        /// Over small alphabets, where patterns overlap, nest and repeat most.
        #[test]
        fn our_automaton_finds_what_the_crate_finds_for_any_patterns(
            patterns in proptest::collection::vec("[abc]{1,5}|[ab é]{1,3}", 1..12),
            text in "[abcdé ]{0,60}",
        ) {
            proptest::prop_assert_eq!(
                our_matches(&patterns, &text),
                crate_matches(&patterns, &text)
            );
        }
    }

    #[test]
    fn our_automaton_finds_what_the_crate_finds_in_the_fixtures() {
        let texts = fixture_texts();
        assert!(texts.len() > 10);
        for text in texts {
            for line in text.to_lowercase().lines() {
                assert_eq!(LEXICON.hits(line), reference_hits(line), "{line:?}");
            }
        }
    }

    /// The text of every fixture file that is UTF-8.
    fn fixture_texts() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut stack = vec![dir];
        let mut texts = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    texts.push(text);
                }
            }
        }
        texts
    }

    /// Whether lower-casing `text` changes its ASCII letters only, as for the texts the
    /// classifier gives [`Lexicon::hits_ascii_each`].
    fn is_caseless(text: &str) -> bool {
        text.chars()
            .all(|c| c.is_ascii() || super::super::features::lowers_to_itself(c))
    }

    /// The search reads eight bytes a turn, then the last one to seven: every phrase, starting
    /// at each of the eight places in a turn, ending the text or followed by more, in a word or
    /// not, is found as the crate finds it.
    #[test]
    fn phrases_are_found_wherever_they_fall_in_a_turn_of_eight_bytes() {
        for phrase in phrases() {
            let leads = [
                "", "x", "a ", "  a", ". x ", "ab  x", "x . ab", "a, b. c", "xy",
            ];
            for lead in leads {
                for tail in ["", " ", "s", " and more", "x."] {
                    let text = format!("{lead}{phrase}{tail}");
                    assert_eq!(LEXICON.hits(&text), reference_hits(&text), "{text:?}");
                }
            }
        }
    }

    /// Two texts searched together read eight bytes of each a turn: every phrase, starting at
    /// each of the eight places in a turn, in a text shorter or longer than the one beside it,
    /// is found as alone.
    #[test]
    fn phrases_searched_in_pairs_are_found_wherever_they_fall_in_a_turn_of_eight_bytes() {
        for phrase in phrases().iter().filter(|p| is_caseless(p)) {
            for lead in ["", "x", "a ", "  a", ". x ", "ab  x", "x . ab", "a, b. c"] {
                let text = format!("{lead}{phrase} and");
                for beside in [
                    "",
                    "ab",
                    "sign up, log in",
                    "x x x x x x x x x x x x x x x x x",
                ] {
                    assert_each_is_alone(&[&text, beside]);
                    assert_each_is_alone(&[beside, &text]);
                }
            }
        }
    }

    /// [`Lexicon::hits_ascii_each`] agrees with [`Lexicon::hits_ascii`] on every text.
    fn assert_each_is_alone(texts: &[&str]) {
        let alone: Vec<Hits> = texts.iter().map(|t| LEXICON.hits_ascii(t)).collect();
        assert_eq!(LEXICON.hits_ascii_each(texts), alone, "{texts:?}");
    }

    /// Texts searched together, whatever is searched beside them, are searched as alone: the
    /// fixtures' lines in order, reversed, by length (alike paired), alternately longest and
    /// shortest (unlike paired), in runs of every length up to five.
    #[test]
    fn texts_searched_together_are_searched_as_alone_in_the_fixtures() {
        let fixtures = fixture_texts();
        let mut texts: Vec<&str> = fixtures
            .iter()
            .flat_map(|text| text.lines())
            .filter(|line| is_caseless(line))
            .collect();
        assert!(texts.len() > 1000);
        assert_each_is_alone(&texts);
        texts.reverse();
        assert_each_is_alone(&texts);
        texts.sort_by_key(|t| t.len());
        assert_each_is_alone(&texts);
        let unlike: Vec<&str> = texts
            .iter()
            .zip(texts.iter().rev())
            .flat_map(|(&short, &long)| [long, short])
            .take(texts.len())
            .collect();
        assert_each_is_alone(&unlike);
        for run in 0..=5 {
            for group in unlike.chunks(run.max(1)).take(200) {
                assert_each_is_alone(&group[..run.min(group.len())]);
            }
        }
    }

    #[test]
    fn ascii_matching_in_any_case_finds_what_lower_case_matching_finds() {
        for text in [
            "Subscribe to our Newsletter",
            "SIGN UP now, ©2020 ACME Inc. All Rights Reserved",
            "the subscribers' HOMEWORK",
            "Read More: Related Articles",
        ] {
            assert_eq!(LEXICON.hits_ascii(text), LEXICON.hits(&text.to_lowercase()));
        }
    }

    #[test]
    fn packed_stopwords_are_the_ascii_stopwords() {
        for (_, list) in STOPWORDS {
            for word in list.lines().map(str::trim).filter(|w| !w.is_empty()) {
                let expected = word.is_ascii()
                    && word.len() <= PackedWords::MAX_BYTES
                    && word == word.to_lowercase();
                assert_eq!(
                    LEXICON.is_ascii_stopword(word.as_bytes()),
                    expected,
                    "{word}"
                );
                let upper = word.to_ascii_uppercase();
                assert_eq!(
                    LEXICON.is_ascii_stopword(upper.as_bytes()),
                    expected,
                    "{word}"
                );
            }
        }
        for c in 0..=255u8 {
            let lower = lower_ascii(u64::from(c) * 0x0101_0101_0101_0101);
            let expected = u64::from(c.to_ascii_lowercase()) * 0x0101_0101_0101_0101;
            if c.is_ascii() {
                assert_eq!(lower, expected, "{c}");
            }
        }
        for word in [
            "pentagon",
            "",
            "thee",
            "th",
            "abcdefghijklmnopq",
            "the_",
            "\0the",
        ] {
            assert!(!LEXICON.is_ascii_stopword(word.as_bytes()), "{word}");
        }
    }

    #[test]
    fn stopwords_cover_several_languages() {
        assert!(LEXICON.is_stopword("the"));
        assert!(LEXICON.is_stopword("und"));
        assert!(!LEXICON.is_stopword("pentagon"));
    }
}
