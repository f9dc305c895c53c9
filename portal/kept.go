package portal

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/auth"
)

// What was typed is kept across a login, without JavaScript (WCAG 2.2.1). A form posted after
// the session ended (the CSRF check has passed: the form is the portal's own) is not carried out.
// Its fields are kept in a sealed cookie (AES-GCM under a key of its own, compressed, at most
// keptMaxCookie bytes, for keptFor), bound to this browser and to the page the login returns to.
// After the login, that page is rendered with the fields filled in and a note that nothing was
// sent; the cookie is then dropped. Nothing is ever submitted on the reader's behalf, nothing
// lands in a URL, a log or the database, files are never kept, and neither are BSNs (a one-line
// field a staff member retypes in seconds, which must not sit in a browser cookie).

// KeptCookie holds a form posted after the session ended.
const KeptCookie = "bewaard"

const (
	keptFor       = 30 * time.Minute
	keptMaxCookie = 3800 // bytes of the cookie value: one cookie stays under the browsers' 4096
)

// keptForm is the sealed content of KeptCookie.
type keptForm struct {
	Action  string     `json:"a"` // the path the form posted to, without the language prefix
	Page    string     `json:"p"` // the page the login returns to, without the language prefix
	Kind    auth.Kind  `json:"k"` // who may get it back: a session of this kind
	Fields  url.Values `json:"f"`
	Expires int64      `json:"e"`
}

// keptAfterOpen are the pages that show their forms only when opened through an audited POST
// (which redirects with a view grant in "inzage"); the plain GET offers to open them.
var keptAfterOpen = regexp.MustCompile(`^/medewerker/medisch/[0-9]+$`)

// keptForms are the forms with free text whose pages put kept values back (their templates call
// Keep and KeepChecked): only these are kept, so the note "what you typed is back" is always true.
var keptForms = regexp.MustCompile(`^/(mijn/facturen/[0-9]+/reden|medewerker/medisch/([0-9]+/(fase|advies|besluit)|registreren)|medewerker/afspraken/publiceren|medewerker/scholen)$`)

// keptField reports whether a posted field may be kept.
func keptField(name string) bool {
	return name != "_csrf" && name != "terug" && !strings.Contains(strings.ToLower(name), "bsn")
}

// keepForm keeps what this POST, refused for want of a session, carried, so that page can show it
// again after the login. It never fails the request: without a sealer, a field or room, nothing
// is kept.
func (p *Portal) keepForm(c echo.Context, page string) {
	req := c.Request()
	if p.KeptSealer == nil || req.Method != http.MethodPost || req.PostForm == nil {
		return
	}
	kind := auth.KindInburgeraar
	if strings.HasPrefix(page, "/medewerker") {
		kind = auth.KindStaff
	}
	if safeReturn(page, kind) == "" {
		return
	}
	body := req.PostForm
	if req.MultipartForm != nil {
		body = url.Values(req.MultipartForm.Value) // the text fields only: files are never kept
	}
	if !keptForms.MatchString(stripLang(req.URL.Path)) {
		return
	}
	k := keptForm{Action: stripLang(req.URL.Path), Page: page, Kind: kind, Fields: url.Values{},
		Expires: p.Now().Add(keptFor).Unix()}
	for name, vals := range body {
		if keptField(name) && slices.ContainsFunc(vals, func(s string) bool { return s != "" }) {
			k.Fields[name] = vals
		}
	}
	for len(k.Fields) > 0 {
		sealed, err := p.sealKept(k)
		if err != nil {
			return
		}
		if len(sealed) <= keptMaxCookie {
			c.SetCookie(p.cookie(KeptCookie, sealed, "/", int(keptFor.Seconds())))
			return
		}
		// Too much to keep in one cookie: the longest field goes (never a cut-off half of one).
		longest, n := "", -1
		for name, vals := range k.Fields {
			if l := len(strings.Join(vals, "")); l > n || (l == n && name < longest) {
				longest, n = name, l
			}
		}
		delete(k.Fields, longest)
	}
}

func (p *Portal) sealKept(k keptForm) (string, error) {
	raw, err := json.Marshal(k)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := w.Write(raw); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return p.KeptSealer.SealBytes(buf.Bytes())
}

// openKept opens a KeptCookie value; ok is false when it is tampered, malformed or too old.
func (p *Portal) openKept(sealed string) (keptForm, bool) {
	var k keptForm
	if p.KeptSealer == nil || len(sealed) > keptMaxCookie {
		return k, false
	}
	raw, err := p.KeptSealer.OpenBytes(sealed)
	if err != nil {
		return k, false
	}
	plain, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), 64<<10))
	if err != nil || json.Unmarshal(plain, &k) != nil || k.Expires < p.Now().Unix() {
		return keptForm{}, false
	}
	return k, true
}

// restoreKept returns the form kept for the page this GET renders, and drops the cookie: it is
// shown once, to a logged-in reader of the kind it was kept for. A kept form that is too old or
// not readable is dropped too.
func (p *Portal) restoreKept(c echo.Context) *keptForm {
	ck, err := c.Cookie(KeptCookie)
	if err != nil || ck.Value == "" || c.Request().Method != http.MethodGet {
		return nil
	}
	s := session(c)
	if s == nil {
		return nil // not logged in (yet): the login page keeps it for the page after
	}
	k, ok := p.openKept(ck.Value)
	if ok && (k.Kind != s.Kind || k.Page != stripLang(c.Request().URL.Path)) {
		return nil // another page of this session: wait for the form's own page
	}
	if ok && keptAfterOpen.MatchString(k.Page) && c.QueryParam("inzage") == "" {
		return nil // the offer to open a staff case shows no form: wait for the opened case
	}
	p.dropKept(c)
	if !ok {
		return nil
	}
	return &k
}

func (p *Portal) dropKept(c echo.Context) {
	c.SetCookie(p.cookie(KeptCookie, "", "/", -1))
}

// stripLang removes the first path segment (the language).
func stripLang(path string) string {
	if i := strings.IndexByte(strings.TrimPrefix(path, "/"), '/'); i >= 0 && strings.HasPrefix(path, "/") {
		return path[i+1:]
	}
	return ""
}

// Restored reports whether this page shows what was typed before the session ended.
func (v *View) Restored() bool { return v.kept != nil }

// Keep is the value of field name in the form that posts to action, as typed before the session
// ended when this page brings it back, else def. action is the form's action attribute.
func (v *View) Keep(action, name string, def any) any {
	if v.kept == nil || v.kept.Action != stripLang(action) {
		return def
	}
	if vals := v.kept.Fields[name]; len(vals) > 0 {
		return vals[0]
	}
	return def
}

// KeepAt is Keep for a field that occurs more than once in its form: the i-th value.
func (v *View) KeepAt(action, name string, i int, def any) any {
	if v.kept == nil || v.kept.Action != stripLang(action) {
		return def
	}
	if vals := v.kept.Fields[name]; i < len(vals) {
		return vals[i]
	}
	return def
}

// KeepChecked reports whether the radio button or check box name=value in the form that posts to
// action is to be checked: as it was before the session ended when this page brings it back, else
// def.
func (v *View) KeepChecked(action, name, value string, def bool) bool {
	if v.kept == nil || v.kept.Action != stripLang(action) {
		return def
	}
	return slices.Contains(v.kept.Fields[name], value)
}
