package portal_test

// Small assertion helpers on parsed HTML, in the spirit of golang/pkgsite's
// internal/testing/htmlcheck: pages are parsed with golang.org/x/net/html and queried with a
// tiny subset of CSS selectors, so tests say what a reader (or a screen reader) gets, not how
// the template happens to spell it.
//
// Supported selectors: compound selectors of a tag name, #id, .class, [attr], [attr=value],
// [attr^=value] and [attr*=value] (values optionally quoted, without spaces), combined with
// whitespace as the descendant combinator, e.g. `main .error-summary[role=alert] a[href^="#"]`.

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parseHTML parses a full document.
func parseHTML(t testing.TB, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

// attrCond is one [attr…] condition of a compound selector.
type attrCond struct {
	name, op, value string // op: "" (present), "=", "^=", "*="
}

// compound is one step of a selector: all its conditions hold for one element.
type compound struct {
	tag     string
	id      string
	classes []string
	attrs   []attrCond
}

// selector is a chain of compounds joined by the descendant combinator.
type selector []compound

func mustSelector(t testing.TB, s string) selector {
	t.Helper()
	var sel selector
	for _, part := range strings.Fields(s) {
		c, ok := parseCompound(part)
		if !ok {
			t.Fatalf("htmlcheck: bad selector %q", s)
		}
		sel = append(sel, c)
	}
	if len(sel) == 0 {
		t.Fatalf("htmlcheck: empty selector")
	}
	return sel
}

func parseCompound(s string) (compound, bool) {
	var c compound
	i := 0
	readIdent := func() string {
		j := i
		for j < len(s) && !strings.ContainsRune("#.[", rune(s[j])) {
			j++
		}
		out := s[i:j]
		i = j
		return out
	}
	c.tag = strings.ToLower(readIdent())
	for i < len(s) {
		switch s[i] {
		case '#':
			i++
			c.id = readIdent()
		case '.':
			i++
			c.classes = append(c.classes, readIdent())
		case '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return c, false
			}
			body := s[i+1 : i+end]
			i += end + 1
			cond := attrCond{name: body}
			for _, op := range []string{"^=", "*=", "="} {
				if k := strings.Index(body, op); k > 0 {
					cond = attrCond{name: body[:k], op: op, value: strings.Trim(body[k+len(op):], `"'`)}
					break
				}
			}
			c.attrs = append(c.attrs, cond)
		default:
			return c, false
		}
	}
	return c, true
}

func (c compound) matches(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if c.tag != "" && c.tag != "*" && n.Data != c.tag {
		return false
	}
	if c.id != "" {
		if v, ok := attr(n, "id"); !ok || v != c.id {
			return false
		}
	}
	for _, cl := range c.classes {
		if !hasClass(n, cl) {
			return false
		}
	}
	for _, a := range c.attrs {
		v, ok := attr(n, a.name)
		if !ok {
			return false
		}
		switch a.op {
		case "=":
			ok = v == a.value
		case "^=":
			ok = strings.HasPrefix(v, a.value)
		case "*=":
			ok = strings.Contains(v, a.value)
		}
		if !ok {
			return false
		}
	}
	return true
}

// matches reports whether n matches the whole selector (its last compound, with the earlier
// ones matching ancestors in order).
func (sel selector) matches(n *html.Node) bool {
	last := len(sel) - 1
	if !sel[last].matches(n) {
		return false
	}
	k := last - 1
	for p := n.Parent; p != nil && k >= 0; p = p.Parent {
		if sel[k].matches(p) {
			k--
		}
	}
	return k < 0
}

// queryAll returns every element under root (root included) that matches sel, in document order.
func queryAll(t testing.TB, root *html.Node, sel string) []*html.Node {
	t.Helper()
	s := mustSelector(t, sel)
	var out []*html.Node
	walk(root, func(n *html.Node) {
		if s.matches(n) {
			out = append(out, n)
		}
	})
	return out
}

// query returns the first element matching sel, or nil.
func query(t testing.TB, root *html.Node, sel string) *html.Node {
	t.Helper()
	if all := queryAll(t, root, sel); len(all) > 0 {
		return all[0]
	}
	return nil
}

// mustQuery is query that fails the test when nothing matches.
func mustQuery(t testing.TB, root *html.Node, sel string) *html.Node {
	t.Helper()
	n := query(t, root, sel)
	if n == nil {
		t.Fatalf("no element matches %q", sel)
	}
	return n
}

// byID returns the element with the given id, or nil.
func byID(root *html.Node, id string) *html.Node {
	var found *html.Node
	walk(root, func(n *html.Node) {
		if found == nil && n.Type == html.ElementNode {
			if v, ok := attr(n, "id"); ok && v == id {
				found = n
			}
		}
	})
	return found
}

// countID returns how many elements carry id (ids must be unique).
func countID(root *html.Node, id string) int {
	count := 0
	walk(root, func(n *html.Node) {
		if n.Type == html.ElementNode {
			if v, ok := attr(n, "id"); ok && v == id {
				count++
			}
		}
	})
	return count
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

// attr returns the value of n's attribute name.
func attr(n *html.Node, name string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// attrOr returns the attribute's value or "".
func attrOr(n *html.Node, name string) string {
	v, _ := attr(n, name)
	return v
}

func hasClass(n *html.Node, class string) bool {
	return contains(strings.Fields(attrOr(n, "class")), class)
}

// text returns n's text content with runs of white space collapsed, as a reader sees it.
// Script and style contents are skipped.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		// An inline element (a value in <span translate="no"> inside a sentence) joins the text
		// around it as a reader sees it; any other element boundary separates words.
		inline := n.Type == html.ElementNode && (n.DataAtom == atom.Span || n.DataAtom == atom.Bdi)
		if n.Type == html.ElementNode && !inline {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
		if n.Type == html.ElementNode && !inline {
			b.WriteByte(' ')
		}
	}
	rec(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// ancestor returns the nearest ancestor of n with the given tag, or nil.
func ancestor(n *html.Node, tag string) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == tag {
			return p
		}
	}
	return nil
}

// child returns the first element child of n with the given tag, or nil.
func child(n *html.Node, tag string) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == tag {
			return c
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestHTMLCheck keeps the helpers honest: a selector engine that matched nothing (or
// everything) would make every page assertion pass vacuously.
func TestHTMLCheck(t *testing.T) {
	doc := parseHTML(t, `<!DOCTYPE html><html lang="nl"><head><title> A  title </title></head><body>
<main id="inhoud"><div class="error-summary box" role="alert"><a href="#bsn">Fout</a></div>
<form method="post"><fieldset><legend>Kies</legend><input type="radio" id="r1" name="r"></fieldset>
<label for="bsn">BSN</label><input id="bsn" name="bsn" aria-invalid="true"></form>
<p>One <b>two</b>
three</p><script>var x = "hidden";</script></main></body></html>`)
	tests := []struct {
		sel  string
		want int
	}{
		{"main", 1},
		{"#inhoud", 1},
		{"main#inhoud", 1},
		{"div#inhoud", 0},
		{".error-summary", 1},
		{".error-summary.box", 1},
		{".error-summary.other", 0},
		{"[role=alert]", 1},
		{`.error-summary[role="alert"] a[href^="#"]`, 1},
		{`a[href^="#x"]`, 0},
		{"input", 2},
		{"input[aria-invalid=true]", 1},
		{"form fieldset input", 1},
		{"fieldset label", 0},
		{"body main form input[name*=bs]", 1},
		{"head title", 1},
		{"body title", 0},
		{"*", 0}, // counted below: not zero
	}
	for _, tc := range tests {
		got := len(queryAll(t, doc, tc.sel))
		if tc.sel == "*" {
			if got < 10 {
				t.Errorf("%q matched %d elements", tc.sel, got)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("%q matched %d elements, want %d", tc.sel, got, tc.want)
		}
	}
	if got := text(mustQuery(t, doc, "title")); got != "A title" {
		t.Errorf("text(title) = %q", got)
	}
	if got := text(mustQuery(t, doc, "p")); got != "One two three" {
		t.Errorf("text(p) = %q", got)
	}
	if got := text(mustQuery(t, doc, "main")); strings.Contains(got, "hidden") {
		t.Errorf("text includes script: %q", got)
	}
	if n := byID(doc, "bsn"); n == nil || n.Data != "input" {
		t.Errorf("byID(bsn) = %v", n)
	}
	if countID(doc, "bsn") != 1 || countID(doc, "nope") != 0 {
		t.Errorf("countID wrong")
	}
	r1 := byID(doc, "r1")
	if fs := ancestor(r1, "fieldset"); fs == nil || child(fs, "legend") == nil {
		t.Errorf("ancestor/child wrong")
	}
	if !hasClass(mustQuery(t, doc, "[role=alert]"), "box") {
		t.Errorf("hasClass wrong")
	}
}
