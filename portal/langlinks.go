package portal

import (
	"html/template"
	"strings"
)

// The layout's two lists of languages (the hreflang alternates in the head and the language
// switcher) are built here rather than by a {{range}}: in the template they were some eighty
// escaped actions per page, each a reflective call, for output that varies only with the language
// and the path. The escaping is html/template's own for these contexts (an href after a fixed
// prefix: URL normalisation, then attribute escaping); TestLangLinksAsTemplate renders the
// former template fragment as the oracle, and FuzzLangLinks feeds it paths.

// LangAlternates is the <link rel="alternate" hreflang> list of the head (x-default included).
func (v *View) LangAlternates() template.HTML {
	base := attrURL(v.BaseURL)
	p := attrURL(v.Path)
	var b strings.Builder
	b.Grow(len(v.Languages)*(60+len(base)+len(p)) + 80)
	for _, l := range v.Languages {
		code := escapeHTML(l.Code)
		b.WriteString("\n<link rel=\"alternate\" hreflang=\"")
		b.WriteString(code)
		b.WriteString(`" href="`)
		b.WriteString(base)
		b.WriteByte('/')
		b.WriteString(code)
		b.WriteString(p)
		b.WriteString(`">`)
	}
	b.WriteString("\n<link rel=\"alternate\" hreflang=\"x-default\" href=\"")
	b.WriteString(base)
	b.WriteString("/nl")
	b.WriteString(p)
	b.WriteString(`">`)
	return template.HTML(b.String())
}

// LangMenu is the switcher's list items: a link per language, the current one marked.
func (v *View) LangMenu() template.HTML {
	p := attrURL(v.Path)
	cur := v.L.Code()
	var b strings.Builder
	b.Grow(len(v.Languages) * (90 + len(p)))
	for _, l := range v.Languages {
		code := escapeHTML(l.Code)
		b.WriteString("\n          <li><a href=\"/")
		b.WriteString(code)
		b.WriteString(p)
		b.WriteString(`" lang="`)
		b.WriteString(code)
		b.WriteString(`" hreflang="`)
		b.WriteString(code)
		b.WriteByte('"')
		if l.Code == cur {
			b.WriteString(` aria-current="true"`)
		}
		b.WriteByte('>')
		b.WriteString(escapeHTML(l.Name))
		b.WriteString("</a></li>")
	}
	return template.HTML(b.String())
}

// attrURL escapes s as html/template does for a value inside a quoted href after a fixed
// prefix: bytes a URL may not hold are percent-encoded (a valid %XX escape is kept), then the
// result is escaped for the attribute.
func attrURL(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		written = i + 1
	}
	if written == 0 {
		return escapeHTML(s)
	}
	b.WriteString(s[written:])
	return escapeHTML(b.String())
}

// htmlEscapes is html/template's replacement table for text and quoted attribute values.
var htmlEscapes = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// escapeHTML escapes s as html/template does in HTML text and quoted attribute values.
func escapeHTML(s string) string {
	if strings.IndexAny(s, "\x00\"&'+<>") < 0 {
		return s
	}
	return htmlEscapes.Replace(s)
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
