//! Segmentation of HTML: the DOM cut into blocks with what only the DOM tells of them.
//!
//! The tree is walked without recursion (deeply nested pages cannot overflow the stack). Text
//! is gathered into the current block until a block-level element opens or closes. Scripts,
//! styles, templates, hidden elements and form controls never reach the text. Each block gets
//! its kind (paragraph, heading with its level, list item, table cell, preformatted, quote), the
//! share of its characters inside links, a hash of its tag path, and hints from the class, id and
//! role of its element and ancestors.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::{
    Block, BlockKind, DomFeatures, DomHints, Element, LineEnding, NO_ELEMENT, Segmented, Tag,
};

mod prefilter;

/// Cuts an HTML page into blocks. The [`Segmented::text`] is the page's text, blocks separated by
/// blank lines (list items and table cells of one list or row by single line breaks).
pub fn segment_html(html: &str) -> Segmented<'static> {
    segment_html_page(html).0
}

/// Cuts an HTML page into blocks, and finds its canonical URL (`<link rel=canonical>` or
/// `og:url`) in the same pass.
pub fn segment_html_page(html: &str) -> (Segmented<'static>, Option<String>) {
    let html = prefilter::prepare(html, MAX_DEPTH);
    let document = Html::parse_document(&html);
    let mut walker = Walker::default();
    for edge in document.root_element().traverse() {
        match edge {
            Edge::Open(node) => walker.open(node),
            Edge::Close(node) => walker.close(node),
        }
    }
    walker.flush();
    let segmented = Segmented {
        text: Cow::Owned(walker.text),
        blocks: walker.blocks,
        line_ending: LineEnding::Lf,
        elements: walker.elements,
    };
    (segmented, walker.canonical)
}

/// Deepest element nesting passed to the parser. The HTML parser spends time in proportion to
/// the depth for each element, so a page nested 100,000 deep would take minutes; no real page
/// nests anywhere near this deep.
pub const MAX_DEPTH: usize = 512;

/// The page's canonical URL (`<link rel=canonical>` or `og:url`), which names its site.
pub fn canonical_url(html: &str) -> Option<String> {
    segment_html_page(html).1
}

/// An open element that shapes the blocks inside it.
#[derive(Clone, Debug)]
struct Frame {
    /// Index in the element arena, or [`NO_ELEMENT`] for a skipped element.
    id: u32,
    hints: u32,
    path_hash: u64,
    kind: Option<BlockKind>,
    /// The element ends the text before it (a block of its own, or a boundary such as `<div>`).
    block_level: bool,
    /// A block-level element opened inside it.
    had_block_child: bool,
    /// The element is skipped with everything inside it.
    skip: bool,
    link: bool,
    preformatted: bool,
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    skipping: usize,
    text: String,
    blocks: Vec<Block>,
    elements: Vec<Element>,
    buffer: String,
    link_chars: usize,
    chars: usize,
    pending_space: bool,
    /// Kind of the last block flushed and the path it sat under, to keep list items together.
    last_group: Option<(BlockKind, u64)>,
    /// The page's canonical URL, when its head names one.
    canonical: Option<String>,
    /// Reused for lower-casing class and id names.
    scratch: String,
}

impl Walker {
    fn open(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        match node.value() {
            Node::Element(element) => {
                let name = element.name();
                let attributes = Attributes::of(element);
                self.note_canonical(name, &attributes);
                if self.skipping == 0 {
                    self.count_media(name);
                }
                let names = if self.skipping == 0 {
                    read_names(name, &attributes, &mut self.scratch)
                } else {
                    Names::default()
                };
                let mut frame = self.frame_for(name, &attributes, names.hints);
                if frame.skip {
                    self.skipping += 1;
                } else if frame.block_level {
                    self.flush();
                }
                if self.skipping == 0 {
                    frame.id = self.add_element(name, &attributes, &names, &frame);
                }
                if name == "br" && self.skipping == 0 {
                    self.pending_space = true;
                }
                self.stack.push(frame);
            }
            Node::Text(text) if self.skipping == 0 => self.push_text(text),
            _ => {}
        }
    }

    fn close(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        if let Node::Element(_) = node.value() {
            let Some(frame) = self.stack.pop() else {
                return;
            };
            if frame.skip {
                self.skipping -= 1;
            } else if frame.block_level {
                let container = if frame.kind.is_some() || !frame.had_block_child {
                    self.enclosing_block_element()
                } else {
                    frame.id
                };
                self.flush_with(
                    frame.kind,
                    frame.hints,
                    frame.path_hash,
                    frame.id,
                    container,
                );
            }
            if frame.id != NO_ELEMENT {
                self.end_element(frame.id);
            }
        }
    }

    /// Records a new element of the arena and marks its parent as holding a block, if it is one.
    fn add_element(
        &mut self,
        name: &str,
        attributes: &Attributes<'_>,
        names: &Names,
        frame: &Frame,
    ) -> u32 {
        let id = self.elements.len() as u32;
        let parent = self
            .stack
            .iter()
            .rev()
            .find(|f| f.id != NO_ELEMENT)
            .map_or(NO_ELEMENT, |f| f.id);
        if frame.block_level
            && let Some(holder) = self
                .stack
                .iter_mut()
                .rev()
                .find(|f| f.block_level && f.id != NO_ELEMENT)
        {
            holder.had_block_child = true;
        }
        if parent != NO_ELEMENT {
            self.elements[parent as usize].children += 1;
        }
        let first = self.blocks.len() as u32 + u32::from(!self.buffer.trim().is_empty());
        self.elements.push(Element {
            parent,
            tag: tag_of(name),
            class_weight: names.class_weight,
            unlikely: names.unlikely,
            hints: DomHints(names.hints),
            class_key: attributes.class.map_or(0, |c| {
                xxhash_rust::xxh3::xxh3_64(c.trim().as_bytes()) as u32 | 1
            }),
            blocks: first..first,
            end: id + 1,
            children: 0,
            images: 0,
            inputs: 0,
        });
        id
    }

    /// Closes an element of the arena: its blocks and descendants are known, and its counts
    /// go to its parent.
    fn end_element(&mut self, id: u32) {
        let end = self.elements.len() as u32;
        let blocks_end = self.blocks.len() as u32;
        let element = &mut self.elements[id as usize];
        element.end = end;
        element.blocks.end = blocks_end.max(element.blocks.start);
        let (images, inputs, parent) = (element.images, element.inputs, element.parent);
        if parent != NO_ELEMENT {
            let parent = &mut self.elements[parent as usize];
            parent.images = parent.images.saturating_add(images);
            parent.inputs = parent.inputs.saturating_add(inputs);
        }
    }

    /// Counts images and form inputs into the innermost open element.
    fn count_media(&mut self, name: &str) {
        let Some(id) = self
            .stack
            .iter()
            .rev()
            .find(|f| f.id != NO_ELEMENT)
            .map(|f| f.id)
        else {
            return;
        };
        let element = &mut self.elements[id as usize];
        match name {
            "img" => element.images = element.images.saturating_add(1),
            "input" | "select" | "textarea" | "button" => {
                element.inputs = element.inputs.saturating_add(1);
            }
            _ => {}
        }
    }

    /// The innermost open block-level element (a paragraph's container).
    fn enclosing_block_element(&self) -> u32 {
        self.stack
            .iter()
            .rev()
            .find(|f| f.block_level && f.id != NO_ELEMENT)
            .map_or(NO_ELEMENT, |f| f.id)
    }

    fn note_canonical(&mut self, name: &str, attributes: &Attributes<'_>) {
        let url = match name {
            "link"
                if attributes
                    .rel
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                attributes.href
            }
            "meta" if attributes.property == Some("og:url") && self.canonical.is_none() => {
                attributes.content
            }
            _ => None,
        };
        if let Some(url) = url.filter(|u| u.contains("://")) {
            self.canonical = Some(url.to_string());
        }
    }

    fn frame_for(&self, name: &str, attributes: &Attributes<'_>, own_hints: u32) -> Frame {
        let parent = self.stack.last();
        let hints = parent.map_or(0, |p| p.hints) | own_hints;
        let mut path_hash = parent.map_or(0, |p| p.path_hash);
        path_hash = xxhash_rust::xxh3::xxh3_64_with_seed(name.as_bytes(), path_hash);
        let kind = block_kind(name);
        Frame {
            id: NO_ELEMENT,
            hints,
            path_hash,
            kind,
            block_level: kind.is_some() || is_block_boundary(name),
            had_block_child: false,
            skip: is_skipped(name, attributes),
            link: (name == "a" && attributes.href.is_some()) || parent.is_some_and(|p| p.link),
            preformatted: name == "pre" || parent.is_some_and(|p| p.preformatted),
        }
    }

    fn push_text(&mut self, text: &str) {
        let top = self.stack.last();
        let in_link = top.is_some_and(|f| f.link);
        if top.is_some_and(|f| f.preformatted) {
            self.push_preformatted(text, in_link);
            return;
        }
        // Runs of whitespace collapse to one space, as a browser shows them. (ASCII text, most
        // of it, is split by bytes: decoding characters was a tenth of the walk.)
        if text.is_ascii() {
            for (k, piece) in text
                .split(|c: char| c.is_ascii_whitespace() || c == '\x0b')
                .enumerate()
            {
                self.push_piece(k, piece, piece.len(), in_link);
            }
        } else {
            for (k, piece) in text.split(char::is_whitespace).enumerate() {
                self.push_piece(k, piece, piece.chars().count(), in_link);
            }
        }
    }

    /// Appends the `k`th piece of a text node split at white space (`chars` long).
    fn push_piece(&mut self, k: usize, piece: &str, chars: usize, in_link: bool) {
        if k > 0 {
            self.pending_space = !self.buffer.is_empty();
        }
        if piece.is_empty() {
            return;
        }
        self.write_pending_space();
        self.buffer.push_str(piece);
        self.count_chars(chars, in_link);
    }

    /// Preformatted text keeps its spaces and line breaks.
    fn push_preformatted(&mut self, text: &str, in_link: bool) {
        self.write_pending_space();
        let text = text.replace('\r', "");
        self.buffer.push_str(&text);
        let visible = text.chars().filter(|c| !c.is_whitespace()).count();
        self.count_chars(visible, in_link);
    }

    fn write_pending_space(&mut self) {
        if self.pending_space {
            self.buffer.push(' ');
            self.pending_space = false;
        }
    }

    /// Counts `n` visible characters into the block, and into its link text when `in_link`.
    fn count_chars(&mut self, n: usize, in_link: bool) {
        self.chars += n;
        if in_link {
            self.link_chars += n;
        }
    }

    /// Ends the current block, if it has text: a run of text inside the innermost open
    /// block-level element, before a block-level child opens.
    fn flush(&mut self) {
        if self.buffer.trim().is_empty() {
            self.reset();
            return;
        }
        let (kind, hints, path) = self
            .stack
            .iter()
            .rev()
            .find_map(|f| f.kind.map(|k| (Some(k), f.hints, f.path_hash)))
            .unwrap_or((None, self.stack.last().map_or(0, |f| f.hints), 0));
        let path = if path == 0 {
            self.stack.last().map_or(0, |f| f.path_hash)
        } else {
            path
        };
        let element = self.enclosing_block_element();
        // Text inside a paragraph-like element belongs to it; text between the blocks of a
        // container is a paragraph of its own inside the container.
        let paragraph_like = self
            .stack
            .iter()
            .rev()
            .find(|f| f.block_level && f.id != NO_ELEMENT)
            .is_some_and(|f| f.kind.is_some());
        let container = if paragraph_like && element != NO_ELEMENT {
            self.elements[element as usize].parent
        } else {
            element
        };
        self.flush_with(kind, hints, path, element, container);
    }

    fn flush_with(
        &mut self,
        kind: Option<BlockKind>,
        hints: u32,
        path_hash: u64,
        element: u32,
        container: u32,
    ) {
        let text = self.buffer.trim();
        if text.is_empty() {
            self.reset();
            return;
        }
        let kind = kind.unwrap_or(BlockKind::Paragraph);
        let grouped = matches!(kind, BlockKind::ListItem | BlockKind::TableCell)
            && self.last_group.is_some_and(|(k, _)| k == kind);
        if !self.text.is_empty() {
            self.text.push_str(if grouped { "\n" } else { "\n\n" });
        }
        let start = self.text.len();
        self.text.push_str(text);
        let link_density = if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        };
        self.blocks.push(Block {
            range: start..self.text.len(),
            kind,
            blank_before: !grouped,
            indent: 0,
            dom: Some(DomFeatures {
                link_density,
                path_hash,
                hints: DomHints(hints),
                depth: self.stack.len().min(u16::MAX as usize) as u16,
                element,
                container,
            }),
        });
        self.last_group = Some((kind, path_hash));
        self.reset();
    }

    fn reset(&mut self) {
        self.buffer.clear();
        self.chars = 0;
        self.link_chars = 0;
        self.pending_space = false;
    }
}

fn tag_of(name: &str) -> Tag {
    match name {
        "html" => Tag::Html,
        "body" => Tag::Body,
        "div" => Tag::Div,
        "section" => Tag::Section,
        "article" => Tag::Article,
        "main" => Tag::Main,
        "header" => Tag::Header,
        "footer" => Tag::Footer,
        "nav" => Tag::Nav,
        "aside" => Tag::Aside,
        "p" => Tag::P,
        "pre" => Tag::Pre,
        "td" => Tag::Td,
        "th" => Tag::Th,
        "tr" | "tbody" | "thead" | "tfoot" => Tag::Row,
        "table" => Tag::Table,
        "blockquote" => Tag::Blockquote,
        "li" => Tag::Li,
        "ul" | "ol" | "dl" | "menu" => Tag::List,
        "dd" | "dt" => Tag::DefinitionItem,
        "h1" => Tag::Heading(1),
        "h2" => Tag::Heading(2),
        "h3" => Tag::Heading(3),
        "h4" => Tag::Heading(4),
        "h5" => Tag::Heading(5),
        "h6" => Tag::Heading(6),
        "form" | "fieldset" => Tag::Form,
        "figure" => Tag::Figure,
        "figcaption" => Tag::FigCaption,
        "address" => Tag::Address,
        "a" => Tag::Link,
        _ => Tag::Other,
    }
}

fn block_kind(name: &str) -> Option<BlockKind> {
    Some(match name {
        "p" | "dd" | "dt" | "figcaption" | "caption" | "address" | "summary" => {
            BlockKind::Paragraph
        }
        "h1" => BlockKind::Heading(1),
        "h2" => BlockKind::Heading(2),
        "h3" => BlockKind::Heading(3),
        "h4" => BlockKind::Heading(4),
        "h5" => BlockKind::Heading(5),
        "h6" => BlockKind::Heading(6),
        "li" => BlockKind::ListItem,
        "td" | "th" => BlockKind::TableCell,
        "pre" => BlockKind::Preformatted,
        "blockquote" => BlockKind::Quote,
        _ => return None,
    })
}

/// Elements that end the text before them without being blocks of their own.
fn is_block_boundary(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "ul"
            | "ol"
            | "dl"
            | "table"
            | "tr"
            | "form"
            | "figure"
            | "body"
            | "hr"
            | "center"
            | "fieldset"
            | "details"
    )
}

fn is_skipped(name: &str, attributes: &Attributes<'_>) -> bool {
    if matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "label"
            | "dialog"
    ) {
        return true;
    }
    if attributes.hidden {
        return true;
    }
    if matches!(attributes.role, Some("dialog" | "alertdialog")) && attributes.aria_modal {
        return true;
    }
    attributes.style.is_some_and(|style| {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        let style = style.to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// The attributes deboil reads, gathered in one pass over an element's attributes.
#[derive(Clone, Copy, Debug, Default)]
struct Attributes<'a> {
    class: Option<&'a str>,
    id: Option<&'a str>,
    role: Option<&'a str>,
    style: Option<&'a str>,
    href: Option<&'a str>,
    rel: Option<&'a str>,
    property: Option<&'a str>,
    content: Option<&'a str>,
    /// `hidden`, or `aria-hidden="true"`.
    hidden: bool,
    aria_modal: bool,
}

impl<'a> Attributes<'a> {
    fn of(element: &'a scraper::node::Element) -> Self {
        let mut a = Attributes::default();
        for (name, value) in element.attrs() {
            match name {
                "class" => a.class = Some(value),
                "id" => a.id = Some(value),
                "role" => a.role = Some(value),
                "style" => a.style = Some(value),
                "href" => a.href = Some(value),
                "rel" => a.rel = Some(value),
                "property" => a.property = Some(value),
                "content" => a.content = Some(value),
                "hidden" => a.hidden = true,
                "aria-hidden" => a.hidden |= value == "true",
                "aria-modal" => a.aria_modal = true,
                _ => {}
            }
        }
        a
    }
}

/// What an element's name, role, class and id say of it.
#[derive(Clone, Copy, Debug, Default)]
struct Names {
    /// Hint bits (see [`DomHints`]).
    hints: u32,
    /// -25 per name marking furniture, +25 per name marking content (class and id each).
    class_weight: i8,
    /// Names or role mark an element unlikely to hold the article.
    unlikely: bool,
}

fn read_names(name: &str, attributes: &Attributes<'_>, scratch: &mut String) -> Names {
    let mut names = Names {
        hints: tag_hints(name) | attributes.role.map_or(0, role_hints),
        ..Names::default()
    };
    let mut fragments = 0u8;
    for value in [attributes.class, attributes.id].into_iter().flatten() {
        scratch.clear();
        scratch.push_str(value);
        scratch.make_ascii_lowercase();
        for token in scratch
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
        {
            names.hints |= token_hint(token);
        }
        let found = name_fragments(scratch);
        names.class_weight += fragment_weight(found);
        fragments |= found;
    }
    let unlikely_name =
        name != "a" && name != "body" && fragments & UNLIKELY != 0 && fragments & MAYBE == 0;
    let unlikely_role = attributes.role.is_some_and(|r| UNLIKELY_ROLES.contains(&r));
    names.unlikely = unlikely_name || unlikely_role;
    names
}

fn tag_hints(name: &str) -> u32 {
    match name {
        "nav" => DomHints::NAVIGATION,
        "footer" => DomHints::FOOTER,
        "aside" => DomHints::SIDEBAR,
        "article" | "main" => DomHints::ARTICLE,
        "figcaption" => DomHints::CAPTION,
        "a" => DomHints::LINK,
        _ => 0,
    }
}

fn role_hints(role: &str) -> u32 {
    match role {
        "navigation" | "menu" | "menubar" => DomHints::NAVIGATION,
        "contentinfo" => DomHints::FOOTER,
        "complementary" => DomHints::SIDEBAR,
        "main" | "article" => DomHints::ARTICLE,
        _ => 0,
    }
}

/// The hint a class or id token gives, matched as a whole token.
fn token_hint(token: &str) -> u32 {
    match token {
        "nav" | "navbar" | "navigation" | "menu" | "menubar" | "topbar" | "masthead" | "skip"
        | "pagination" | "pager" | "toolbar" => DomHints::NAVIGATION,
        "footer" | "foot" | "copyright" | "colophon" | "legal" => DomHints::FOOTER,
        "sidebar" | "aside" | "rail" | "sidebox" => DomHints::SIDEBAR,
        "comment" | "comments" | "disqus" | "replies" | "respond" | "discussion" => {
            DomHints::COMMENTS
        }
        "share" | "sharing" | "social" | "sharebar" | "follow" => DomHints::SHARE,
        "related" | "recommended" | "recommendations" | "popular" | "trending" | "outbrain"
        | "taboola" | "teaser" | "teasers" => DomHints::RELATED,
        // Not "paywall": it names the article text behind the wall as often as the plea.
        "newsletter" | "subscribe" | "subscription" | "signup" | "donate" | "membership" => {
            DomHints::NEWSLETTER
        }
        "cookie" | "cookies" | "consent" | "gdpr" => DomHints::COOKIE,
        "ad" | "ads" | "advert" | "advertisement" | "sponsor" | "sponsored" | "promo"
        | "promotion" | "banner" | "dfp" => DomHints::AD,
        "breadcrumb" | "breadcrumbs" | "crumbs" => DomHints::BREADCRUMB,
        "article" | "content" | "entry" | "post" | "story" | "body" | "text" | "main" => {
            DomHints::ARTICLE
        }
        "caption" | "credit" | "credits" => DomHints::CAPTION,
        _ => 0,
    }
}

/// Fragments of class and id names that mark furniture (matched anywhere in the name).
const FURNITURE_NAMES: &[&str] = &[
    "-ad-",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
    "hidden",
];

/// Fragments of class and id names that mark article content.
const CONTENT_NAMES: &[&str] = &[
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text",
    "blog", "story",
];

/// Fragments of class and id names of elements that rarely hold an article.
const UNLIKELY_NAMES: &[&str] = &[
    "-ad-",
    "banner",
    "breadcrumb",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
];

/// Fragments that keep an element with an unlikely name a candidate ("main-header-content").
const MAYBE_NAMES: &[&str] = &[
    "and", "article", "body", "column", "content", "layout", "main", "shadow",
];

/// Roles of elements that never hold the article.
const UNLIKELY_ROLES: &[&str] = &[
    "menu",
    "menubar",
    "complementary",
    "navigation",
    "alert",
    "alertdialog",
    "dialog",
];

/// Which lists a name fragment belongs to.
const FURNITURE: u8 = 1;
const CONTENT: u8 = 2;
const UNLIKELY: u8 = 4;
const MAYBE: u8 = 8;

/// Every fragment of the four lists in one automaton, with the lists each belongs to.
struct NameFragments {
    matcher: AhoCorasick,
    lists: Vec<u8>,
}

static NAME_FRAGMENTS: LazyLock<NameFragments> = LazyLock::new(|| {
    let mut fragments: Vec<(&str, u8)> = Vec::new();
    for (list, bit) in [
        (FURNITURE_NAMES, FURNITURE),
        (CONTENT_NAMES, CONTENT),
        (UNLIKELY_NAMES, UNLIKELY),
        (MAYBE_NAMES, MAYBE),
    ] {
        for &fragment in list {
            match fragments.iter_mut().find(|(f, _)| *f == fragment) {
                Some((_, bits)) => *bits |= bit,
                None => fragments.push((fragment, bit)),
            }
        }
    }
    let matcher = AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(fragments.iter().map(|(f, _)| f))
        .expect("name lists compile");
    NameFragments {
        matcher,
        lists: fragments.iter().map(|(_, bits)| *bits).collect(),
    }
});

/// The lists whose fragments occur in a (lower-case) class or id value.
fn name_fragments(value: &str) -> u8 {
    let m = &*NAME_FRAGMENTS;
    m.matcher
        .find_overlapping_iter(value)
        .fold(0, |bits, found| bits | m.lists[found.pattern().as_usize()])
}

/// -25 if a value names furniture, +25 if it names content (both can hold).
fn fragment_weight(found: u8) -> i8 {
    let mut weight = 0;
    if found & FURNITURE != 0 {
        weight -= 25;
    }
    if found & CONTENT != 0 {
        weight += 25;
    }
    weight
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(s: &'a Segmented<'_>) -> Vec<&'a str> {
        (0..s.blocks.len()).map(|i| s.block_text(i)).collect()
    }

    #[test]
    fn blocks_come_from_block_elements() {
        let s = segment_html(
            "<html><head><title>T</title><style>p{}</style></head><body>\
             <nav><ul><li><a href=/>Home</a></li><li><a href=/n>News</a></li></ul></nav>\
             <article><h1>Big   news</h1><p>First <b>bold</b> words.</p>\
             <script>var x;</script><p hidden>secret</p><p>Second.</p></article></body></html>",
        );
        assert_eq!(
            texts(&s),
            ["Home", "News", "Big news", "First bold words.", "Second."]
        );
        assert_eq!(
            s.text,
            "Home\nNews\n\nBig news\n\nFirst bold words.\n\nSecond."
        );
        assert_eq!(s.blocks[2].kind, BlockKind::Heading(1));
        let nav = s.blocks[0].dom.as_ref().unwrap();
        assert!(nav.hints.any(DomHints::NAVIGATION));
        assert_eq!(nav.link_density, 1.0);
        assert!(
            s.blocks[3]
                .dom
                .as_ref()
                .unwrap()
                .hints
                .any(DomHints::ARTICLE)
        );
    }

    #[test]
    fn preformatted_text_keeps_its_spaces_and_lines() {
        let s = segment_html("<p>Before   the   code</p><pre>let x = 1;\n  let y = 2;</pre>");
        assert_eq!(texts(&s), ["Before the code", "let x = 1;\n  let y = 2;"]);
    }

    #[test]
    fn scripts_styles_and_comments_never_reach_the_text() {
        let html = "<p>a<script type=x>if (a</b) { x = '</p>'; }</SCRIPT>b<!-- <p>c</p> -->d\
                    <style>p { color: red }</style></p><scripts>e</scripts><p>f</p><script>never closed";
        assert_eq!(texts(&segment_html(html)), ["abd", "e", "f"]);
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 100_000;
        let html = format!(
            "{}deep text{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let s = segment_html(&html);
        assert_eq!(texts(&s), ["deep text"]);
    }

    #[test]
    fn broken_html_still_yields_text() {
        let s = segment_html("<p>unclosed <b>bold <p>next</div></span>");
        assert_eq!(texts(&s), ["unclosed bold", "next"]);
    }

    #[test]
    fn canonical_url_names_the_site() {
        let html =
            r#"<html><head><link rel="canonical" href="https://www.example.org/a"></head></html>"#;
        assert_eq!(
            canonical_url(html).as_deref(),
            Some("https://www.example.org/a")
        );
        assert_eq!(canonical_url("<p>none</p>"), None);
    }
}
