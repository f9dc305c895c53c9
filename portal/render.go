// Package portal is the server-rendered HTML face: the inburgeraar's own pages, the demo and
// DigiD login, the staff back office and the public pages. It works fully without JavaScript.
package portal

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/server"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Renderer holds one parsed template set per page (layout + partials + page): the reflective set,
// which translates every text while executing, and, after Localize, one pre-translated set per
// language in which static text is already in place (see pretranslate).
type Renderer struct {
	pages     map[string]*template.Template
	localized map[string]map[string]*template.Template // language code → page → set
	static    map[string]string                        // logical name → hashed URL
	files     map[string][]byte                        // hashed file name → content
	gzFiles   map[string][]byte                        // hashed file name → its gzip'ed content (files of 1 KB and more)
}

// VerifyPretranslated makes Render render every page both ways, pre-translated and reflective,
// and fail on any difference. It is on in test binaries, so every page test in every language
// also checks the pre-translated sets; benchmarks turn it off.
var VerifyPretranslated = testing.Testing()

// NewRenderer parses every page and hashes the static files.
func NewRenderer() (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, static: map[string]string{}, files: map[string][]byte{}, gzFiles: map[string][]byte{}}
	pages, err := parsePages(func(_, src string) string { return src })
	if err != nil {
		return nil, err
	}
	r.pages = pages
	err = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		r.static[name] = "/static/" + hashed
		r.files[hashed] = b
		if len(b) >= server.CompressMinLength {
			r.gzFiles[hashed] = server.Gzip(b)
		}
		return nil
	})
	return r, err
}

// StaticURL returns the content-hashed URL of a static file.
func (r *Renderer) StaticURL(name string) string { return r.static[name] }

// Render writes page with status.
func (r *Renderer) Render(c echo.Context, status int, page string, v *View) error {
	set, localized := r.localized[v.L.Code()]
	if !localized {
		set = r.pages
	}
	v.Static = r.StaticURL
	var buf bytes.Buffer
	if err := execPage(set, page, v, &buf, localized); err != nil {
		return err
	}
	if VerifyPretranslated && localized {
		var want bytes.Buffer
		if err := execPage(r.pages, page, v, &want, false); err != nil {
			return err
		}
		if !bytes.Equal(buf.Bytes(), want.Bytes()) {
			return fmt.Errorf("portal: pre-translated %s/%s differs from the reflective page at byte %d",
				v.L.Code(), page, firstDiff(buf.Bytes(), want.Bytes()))
		}
	}
	c.Response().Header().Set("Content-Language", v.L.Code())
	return c.HTMLBlob(status, buf.Bytes())
}

// serveStatic serves hashed static files with a long, immutable cache lifetime.
func (r *Renderer) serveStatic(c echo.Context) error {
	name := c.Param("file")
	b, ok := r.files[name]
	if !ok {
		return echo.ErrNotFound
	}
	ctype := "application/octet-stream"
	switch path.Ext(name) {
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	case ".ico":
		ctype = "image/x-icon"
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set(echo.HeaderContentType, ctype)
	return server.WritePrecompressed(c, http.StatusOK, b, r.gzFiles[name])
}

// parsePages parses the partials and every page, passing each file's source through rewrite.
func parsePages(rewrite func(name, src string) string) (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	src := map[string]string{}
	var partials, pages []string
	for _, n := range names {
		b, err := templateFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		name := path.Base(n)
		src[name] = rewrite(name, string(b))
		if strings.HasPrefix(name, "_") {
			partials = append(partials, name)
		} else {
			pages = append(pages, name)
		}
	}
	if len(partials) == 0 {
		return nil, fmt.Errorf("portal: no partial templates")
	}
	// Which partial defines which template: a page's set holds only the partials it needs (what
	// the page calls, transitively). Every set is a tree of its own, per page and per language,
	// so the partials a page never calls would only cost memory. The layout is a set of its own,
	// once per language, not a copy in every page's set (see execPage): it was two thirds of the
	// memory the templates took, which the collector scanned again and again.
	definedIn := map[string]string{}
	for _, name := range partials {
		for _, m := range templateRef.FindAllStringSubmatch(src[name], -1) {
			if m[1] == "define" {
				definedIn[m[2]] = name
			}
		}
	}
	out := map[string]*template.Template{}
	for _, name := range append(pages, layoutFile) {
		need := map[string]bool{}
		queue := []string{name}
		for len(queue) > 0 {
			f := queue[0]
			queue = queue[1:]
			for _, m := range templateRef.FindAllStringSubmatch(src[f], -1) {
				if p, ok := definedIn[m[2]]; ok && m[1] != "define" && !need[p] {
					need[p] = true
					queue = append(queue, p)
				}
			}
		}
		t := template.New("portal")
		for _, p := range partials {
			if !need[p] || p == name {
				continue
			}
			if _, err := t.New(p).Parse(src[p]); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
		}
		if _, err := t.New(name).Parse(src[name]); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[strings.TrimSuffix(name, ".html")] = t
	}
	return out, nil
}

// layoutFile is the layout's template file; its set is stored under layoutSet.
const (
	layoutFile = "_layout.html"
	layoutSet  = "_layout"
)

// execPage renders page of set into w: the page's "main" (and "head", when it has one) first,
// then the layout around them. With inGo (a localized set), a page that has a "main" written in
// Go (goMains) is rendered by it instead of its template, and so is the layout when layoutPlain.
func execPage(set map[string]*template.Template, page string, v *View, w io.Writer, inGo bool) error {
	t, lay := set[page], set[layoutSet]
	if t == nil || lay == nil {
		return fmt.Errorf("portal: no page %q", page)
	}
	var main strings.Builder
	if gm := goMains[page]; gm != nil && inGo {
		main.Grow(8 << 10)
		gm(&pageWriter{b: &main, v: v})
	} else if err := t.ExecuteTemplate(&main, "main", v); err != nil {
		return err
	}
	v.main, v.head = template.HTML(main.String()), ""
	if t.Lookup("head") != nil {
		var head strings.Builder
		if err := t.ExecuteTemplate(&head, "head", v); err != nil {
			return err
		}
		v.head = template.HTML(head.String())
	}
	if inGo && layoutPlain(v) {
		var b strings.Builder
		b.Grow(len(v.main) + 6<<10)
		layoutMain(&pageWriter{b: &b, v: v})
		_, err := io.WriteString(w, b.String())
		return err
	}
	return lay.ExecuteTemplate(w, "layout", v)
}

// templateRef finds {{define "x"}}, {{template "x"}} and {{block "x"}} in a template's source.
var templateRef = regexp.MustCompile(`\{\{-?\s*(define|template|block)\s+"([^"]+)"`)

// Localize builds one pre-translated template set per language of b. html/template spends most
// of a page's time on reflection for the view's method calls, and most of those calls are
// {{.T "some.id"}} with a constant ID: their result depends only on the language. Those actions
// are replaced, before parsing, by their HTML-escaped translation, so the templates on disk stay
// as they are and what remains reflective is what really varies per request.
func (r *Renderer) Localize(b *i18n.Bundle) error {
	localized := map[string]map[string]*template.Template{}
	for _, l := range b.Languages() {
		loc, ok := b.Lookup(l.Code)
		if !ok {
			continue
		}
		pre := &preset{lits: langLiterals(l), static: r.StaticURL,
			legal: func(term string) string { return string((&View{L: loc}).Legal(term)) }}
		pages, err := parsePages(func(_, src string) string { s, _ := pretranslate(src, loc.T, pre); return s })
		if err != nil {
			return fmt.Errorf("portal: pre-translating %s: %w", l.Code, err)
		}
		localized[l.Code] = pages
	}
	r.localized = localized
	return nil
}

// staticT matches an action that calls T with one constant message ID and nothing else.
var staticT = regexp.MustCompile(`^\{\{\s*\$?\.T\s+"([A-Za-z0-9_.\-]+)"\s*\}\}$`)

// htmlText escapes s exactly as html/template escapes a string in text and quoted-attribute
// context, so a pre-translated page is byte for byte the page the reflective set renders.
var htmlText = template.Must(template.New("").Parse(`{{.}}`))

func escapeText(s string) string {
	var b strings.Builder
	_ = htmlText.Execute(&b, s)
	return b.String()
}

// The scanner states of pretranslate.
const (
	inText = iota
	inTag
	inAttrName
	afterAttrName
	inValue
	inRaw // <script>, <style>, <title>, <textarea>: left alone until the end tag
)

// pretranslate replaces every {{.T "id"}} / {{$.T "id"}} action that stands in HTML text or in a
// quoted attribute whose value html/template escapes as plain text (not a URL, script or style)
// by the escaped translation t(id). Anything else is left to the reflective path. It returns the
// rewritten source and the number of actions replaced.
func pretranslate(src string, t func(string, ...map[string]any) string, pre *preset) (string, int) {
	if pre == nil {
		pre = &preset{}
	}
	var out strings.Builder
	out.Grow(len(src))
	state, quote, attr, rawEnd := inText, byte(0), "", ""
	n := 0
	for i := 0; i < len(src); {
		if strings.HasPrefix(src[i:], "{{") {
			end := strings.Index(src[i:], "}}")
			if end < 0 {
				out.WriteString(src[i:])
				break
			}
			action := src[i : i+end+2]
			i += end + 2
			if m := staticLegal.FindStringSubmatch(action); m != nil && pre.legal != nil && state == inText {
				// HTML that depends only on the language and the constant term.
				out.WriteString(pre.legal(m[1]))
				n++
				continue
			}
			if m := staticFile.FindStringSubmatch(action); m != nil && pre.static != nil && plainContext(state, quote, attr) {
				if u := pre.static(m[1]); u != "" && onlyURLSafe(u) {
					out.WriteString(u)
					n++
					continue
				}
			}
			if lit, ok := pre.lits[strings.Join(strings.Fields(strings.TrimPrefix(strings.Trim(action, "{}"), "$")), "")]; ok && plainContext(state, quote, attr) {
				// The language's code and direction are letters only: the same in text, in any
				// attribute and anywhere in a URL, so they need no escaping and no call.
				out.WriteString(lit)
				n++
				continue
			}
			if m := staticT.FindStringSubmatch(action); m != nil && safeContext(state, quote, attr) {
				if s := escapeText(t(m[1])); !strings.Contains(s, "{{") && !strings.Contains(s, "}}") {
					out.WriteString(s)
					n++
					continue
				}
			}
			out.WriteString(action)
			if state == inAttrName || state == afterAttrName {
				attr = "" // an attribute name made by an action: unknown
			}
			continue
		}
		c := src[i]
		out.WriteByte(c)
		i++
		switch state {
		case inText:
			if c == '<' && i < len(src) && isLetter(src[i]) {
				j := i
				for j < len(src) && (isLetter(src[j]) || src[j] >= '0' && src[j] <= '9') {
					j++
				}
				switch strings.ToLower(src[i:j]) {
				case "script", "style", "textarea", "title":
					rawEnd = "</" + strings.ToLower(src[i:j])
				default:
					rawEnd = ""
				}
				state = inTag
			}
		case inTag:
			switch {
			case c == '>':
				state = inText
				if rawEnd != "" {
					state = inRaw
				}
			case isLetter(c):
				state, attr = inAttrName, string(c)
			}
		case inAttrName:
			switch {
			case c == '=':
				state = afterAttrName
			case c == '>':
				state = inText
				if rawEnd != "" {
					state = inRaw
				}
			case c == ' ' || c == '\n' || c == '\t':
				state = inTag
			default:
				attr += string(c)
			}
		case afterAttrName:
			if c == '"' || c == '\'' {
				state, quote = inValue, c
			} else if c != ' ' {
				state, quote = inValue, ' ' // unquoted: never replaced
			}
		case inValue:
			if c == quote || quote == ' ' && (c == ' ' || c == '>') {
				state, quote = inTag, 0
				if c == '>' {
					state = inText
				}
			}
		case inRaw:
			if c == '<' && strings.HasPrefix(strings.ToLower(src[i-1:]), rawEnd) {
				state, rawEnd = inTag, ""
			}
		}
	}
	return out.String(), n
}

// plainContext reports whether a value of letters only prints as itself here: in text, or in a
// quoted attribute that is not a script or style.
func plainContext(state int, quote byte, attr string) bool {
	switch state {
	case inText:
		return true
	case inValue:
		a := strings.TrimPrefix(strings.ToLower(attr), "data-")
		return (quote == '"' || quote == '\'') && !strings.HasPrefix(a, "on") && a != "style"
	}
	return false
}

// preset is what pretranslate puts in place besides constant translations: the language's code
// and direction (lits, by action), the Dutch legal terms as View.Legal shows them in the
// language, and the hashed URLs of the static files.
type preset struct {
	lits   map[string]string
	legal  func(term string) string
	static func(name string) string
}

// staticLegal matches {{.Legal "term"}} with a constant term; staticFile {{call .Static "name"}}.
var (
	staticLegal = regexp.MustCompile(`^\{\{\s*\$?\.Legal\s+"([^"{}]+)"\s*\}\}$`)
	staticFile  = regexp.MustCompile(`^\{\{\s*call\s+\$?\.Static\s+"([A-Za-z0-9_.\-]+)"\s*\}\}$`)
)

// onlyURLSafe reports whether u is a path html/template prints as it is in any URL attribute.
func onlyURLSafe(u string) bool {
	for i := 0; i < len(u); i++ {
		c := u[i]
		if !isLetter(c) && !(c >= '0' && c <= '9') && c != '/' && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	return strings.HasPrefix(u, "/")
}

// langLiterals are the actions pretranslate replaces by the language's code and direction, when
// they are letters only (as every portal language's are).
func langLiterals(l i18n.Language) map[string]string {
	m := map[string]string{}
	if onlyLetters(l.Code) {
		m[".L.Code"] = l.Code
	}
	if onlyLetters(l.Dir) {
		m[".L.Dir"] = l.Dir
	}
	return m
}

func onlyLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return s != ""
}

// safeContext reports whether html/template escapes a string at this point as HTML text:
// in text, or in a quoted attribute that is not a URL, script, style or srcset.
func safeContext(state int, quote byte, attr string) bool {
	switch state {
	case inText:
		return true
	case inValue:
		if quote != '"' && quote != '\'' {
			return false
		}
		a := strings.ToLower(attr)
		a = strings.TrimPrefix(a, "data-")
		if strings.HasPrefix(a, "on") || strings.Contains(a, "src") || strings.Contains(a, "uri") ||
			strings.Contains(a, "url") || strings.Contains(a, ":") {
			return false
		}
		switch a {
		case "href", "action", "formaction", "style", "cite", "background", "codebase", "data", "poster",
			"manifest", "ping", "profile", "longdesc", "icon", "usemap", "classid", "archive":
			return false
		}
		return true
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
