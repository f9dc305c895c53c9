package portal

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/yuin/goldmark"

	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/server"
	"github.com/inburgering/portal/locales"
)

// "Naar Nederland" (issue 8, domain.md §9): public pre-arrival information for family migrants
// abroad. No login, no tracking, no cookie but the language choice: these routes have their own
// group, without the CSRF and session middleware of the /:lang group, and their forms use GET.
// The pages without answers are rendered once per language and release and served from memory
// with Cache-Control and an ETag; the check and the estimator carry their answers in the URL,
// are rendered per request and are never stored (Cache-Control: no-store) or logged (the request
// log holds the route pattern only).

// nnPublicMaxAge is how long browsers and caches may keep a page without answers.
const nnPublicMaxAge = 3600

var nnPublicCacheControl = fmt.Sprintf("public, max-age=%d", nnPublicMaxAge)

// nnPage is one page of the section.
type nnPage struct {
	Key  string // message IDs nn.page.<key>.*, Markdown content/<lang>/<key>.md
	Slug string // the path after /<lang>/naar-nederland
}

// nnPages are the section's pages in reading order. "check" has no Markdown text.
var nnPages = []nnPage{
	{"overzicht", ""},
	{"check", "/check"},
	{"examen", "/examen-buitenland"},
	{"aankomst", "/na-aankomst"},
	{"kosten", "/kosten"},
	{"vragen", "/vragen"},
}

func nnPageByKey(key string) nnPage {
	for _, pg := range nnPages {
		if pg.Key == key {
			return pg
		}
	}
	panic("portal: no page " + key)
}

func (pg nnPage) Path() string { return "/naar-nederland" + pg.Slug }

// hasText reports whether the page has a Markdown text.
func (pg nnPage) hasText() bool { return pg.Key != "check" }

// naarNederland serves the section.
type naarNederland struct {
	p     *Portal
	md    goldmark.Markdown
	cache map[nnCacheKey]*nnCached // every language and page, filled at registration, read-only after
}

type nnCacheKey struct{ lang, page string }

type nnCached struct {
	once sync.Once
	body []byte
	gz   []byte // body gzip'ed once, at the best level
	etag string
	err  error
	// The response headers, built once. Each value slice has length and capacity 1 and is only
	// ever replaced in a response's header map, never appended to in place, so sharing is safe.
	headers map[string][]string
}

// nnView is the data of a content page.
type nnView struct {
	Page        nnPage
	Pages       []nnPage
	Description string
	Body        template.HTML
	NoIndex     bool // a page with answers in its URL
	Check       *checkView
	Kosten      *kostenView
}

func (p *Portal) registerNaarNederland(e *echo.Echo) {
	n := &naarNederland{p: p, md: goldmark.New(), cache: map[nnCacheKey]*nnCached{}} // no html.WithUnsafe: raw HTML in a text is dropped
	for _, l := range p.Bundle.Languages() {
		for _, pg := range nnPages {
			n.cache[nnCacheKey{l.Code, pg.Key}] = &nnCached{}
		}
	}
	g := e.Group("/:lang/naar-nederland", p.withLanguage)
	for _, pg := range nnPages {
		switch pg.Key {
		case "check":
			g.GET(pg.Slug, n.check)
		case "kosten":
			g.GET(pg.Slug, n.kosten)
		default:
			g.GET(pg.Slug, n.static(pg))
		}
	}
	e.GET("/robots.txt", n.robots)
	e.GET("/sitemap.xml", n.sitemap)
}

// static serves a page that has no input from the memory cache.
func (n *naarNederland) static(pg nnPage) echo.HandlerFunc {
	return func(c echo.Context) error { return n.serveCached(c, pg) }
}

// serveCached answers with the page rendered once for this language and release.
func (n *naarNederland) serveCached(c echo.Context, pg nnPage) error {
	l := server.Localizer(c)
	entry := n.cache[nnCacheKey{l.Code(), pg.Key}] // rendered on first use, once
	entry.once.Do(func() {
		var data *nnView
		data, entry.err = n.pageData(l, pg)
		if entry.err != nil {
			return
		}
		switch pg.Key {
		case "check":
			data.Check = n.firstQuestion(l)
		case "kosten":
			data.Kosten = n.kostenForm(l, nil)
		}
		entry.body, entry.err = n.p.Render.renderBytes(n.pageTemplate(pg), n.view(l, pg.Path(), pg, data))
		if entry.err == nil {
			entry.gz = server.Gzip(entry.body)
			sum := sha256.Sum256(entry.body)
			entry.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
			entry.headers = map[string][]string{
				"Cache-Control": {nnPublicCacheControl}, "Etag": {entry.etag}, "Content-Language": {l.Code()},
				"Content-Type": {echo.MIMETextHTMLCharsetUTF8},
			}
		}
	})
	if entry.err != nil {
		return entry.err
	}
	// Served as it was rendered: headers and body from memory, no allocation for them.
	h := c.Response().Header()
	for k, v := range entry.headers {
		if k != "Content-Type" {
			h[k] = v
		}
	}
	if etagMatches(c.Request().Header.Get("If-None-Match"), entry.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	h["Content-Type"] = entry.headers["Content-Type"]
	return server.WritePrecompressed(c, http.StatusOK, entry.body, entry.gz)
}

// etagMatches implements If-None-Match's weak comparison (RFC 9110 §13.1.2): a compressed
// representation carries the same tag, marked weak by some caches.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func (n *naarNederland) pageTemplate(pg nnPage) string {
	switch pg.Key {
	case "check":
		return "nn_check"
	case "kosten":
		return "nn_kosten"
	case "overzicht":
		return "nn_overzicht"
	}
	return "nn_page"
}

// view is the common view of the section's pages: the same for every reader (no session, no CSRF
// token), so a page can be rendered once and shared.
func (n *naarNederland) view(l *i18n.Localizer, path string, pg nnPage, data *nnView) *View {
	v := &View{L: l, Languages: n.p.Bundle.Languages(), Demo: n.p.Demo, BaseURL: n.p.BaseURL,
		TitleID: "nn.page." + pg.Key + ".title", Path: path, Data: data}
	if pg.Key != "overzicht" {
		v.Back = "/" + l.Code() + "/naar-nederland"
	}
	return v
}

// pageData builds a page's data: its description and its Markdown text with the figures in.
func (n *naarNederland) pageData(l *i18n.Localizer, pg nnPage) (*nnView, error) {
	d := &nnView{Page: pg, Pages: nnPages, Description: l.T("nn.page." + pg.Key + ".description")}
	if pg.hasText() {
		body, err := n.text(l, pg.Key)
		if err != nil {
			return nil, err
		}
		d.Body = body
	}
	return d, nil
}

var figurePlaceholder = regexp.MustCompile(`{{\s*([a-z0-9_]+)\s*}}`)

// text renders content/<lang>/<key>.md. A placeholder {{name}} is a figure of the policy table,
// inserted formatted for the language and isolated (<bdi>); {{taal}} is the language code, for
// links. An unknown placeholder is an error, so a typo cannot reach a reader.
func (n *naarNederland) text(l *i18n.Localizer, key string) (template.HTML, error) {
	src, err := fs.ReadFile(locales.Content, "content/"+l.Code()+"/"+key+".md")
	if err != nil {
		return "", err
	}
	figures := n.figures(l)
	var inserted []string
	var missing []string
	src = figurePlaceholder.ReplaceAllFunc(src, func(m []byte) []byte {
		name := string(figurePlaceholder.FindSubmatch(m)[1])
		if name == "taal" {
			return []byte(l.Code())
		}
		f, ok := figures[name].(string)
		if !ok {
			missing = append(missing, name)
			return m
		}
		inserted = append(inserted, `<bdi class="nn-figure" data-figure="`+name+`">`+template.HTMLEscapeString(f)+`</bdi>`)
		// A token of letters and digits only passes through Markdown untouched.
		return fmt.Appendf(nil, "nnfigure%dx", len(inserted)-1)
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("portal: content/%s/%s.md: unknown figures %v", l.Code(), key, missing)
	}
	var buf bytes.Buffer
	if err := n.md.Convert(src, &buf); err != nil {
		return "", err
	}
	out := buf.String()
	for i := len(inserted) - 1; i >= 0; i-- { // from the last, so nnfigure1x does not match inside nnfigure10x
		out = strings.ReplaceAll(out, fmt.Sprintf("nnfigure%dx", i), inserted[i])
	}
	return template.HTML(out), nil
}

// figures formats every figure of the policy in force for l, by name.
func (n *naarNederland) figures(l *i18n.Localizer) map[string]any { return n.p.Service.FigureParams(l) }

// renderBytes renders page into memory.
func (r *Renderer) renderBytes(page string, v *View) ([]byte, error) {
	v.Static = r.StaticURL
	var buf bytes.Buffer
	if err := execPage(r.pages, page, v, &buf, false); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// renderDynamic renders a page with answers: never cached or stored anywhere.
func (n *naarNederland) renderDynamic(c echo.Context, status int, page string, v *View) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return n.p.Render.Render(c, status, page, v)
}
