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
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Renderer holds one parsed template set per page (layout + partials + page).
type Renderer struct {
	pages  map[string]*template.Template
	static map[string]string // logical name → hashed URL
	files  map[string][]byte // hashed file name → content
}

// NewRenderer parses every page and hashes the static files.
func NewRenderer() (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, static: map[string]string{}, files: map[string][]byte{}}
	base, err := template.ParseFS(templateFS, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		name := path.Base(n)
		if strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		r.pages[strings.TrimSuffix(name, ".html")] = t
	}
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
		return nil
	})
	return r, err
}

// StaticURL returns the content-hashed URL of a static file.
func (r *Renderer) StaticURL(name string) string { return r.static[name] }

// Render writes page with status.
func (r *Renderer) Render(c echo.Context, status int, page string, v *View) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("portal: no page %q", page)
	}
	v.Static = r.StaticURL
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return err
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
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Blob(http.StatusOK, ctype, b)
}
