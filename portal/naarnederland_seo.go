package portal

import (
	"encoding/xml"
	"net/http"

	"github.com/labstack/echo/v4"
)

// robots and sitemap make the public pages findable (issue 8): the sitemap lists every public
// page in every language with its hreflang alternates; robots.txt keeps crawlers out of the
// logged-in pages, the login flows and the API.

// publicPaths are the pages anyone may read, after the language prefix.
func publicPaths() []string {
	out := []string{"", "/toegankelijkheid"}
	for _, pg := range nnPages {
		out = append(out, pg.Path())
	}
	return out
}

func (n *naarNederland) robots(c echo.Context) error {
	body := "User-agent: *\n" +
		"Disallow: /*/mijn\n" +
		"Disallow: /*/medewerker\n" +
		"Disallow: /*/inloggen\n" +
		"Disallow: /auth/\n" +
		"Disallow: /v2/\n" +
		"Allow: /\n\n" +
		"Sitemap: " + n.p.BaseURL + "/sitemap.xml\n"
	c.Response().Header().Set("Cache-Control", nnPublicCacheControl)
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(body))
}

type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type sitemapURL struct {
	Loc   string        `xml:"loc"`
	Links []sitemapLink `xml:"xhtml:link"`
}

type sitemapSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

func (n *naarNederland) sitemap(c echo.Context) error {
	set := sitemapSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	langs := n.p.Bundle.Languages()
	for _, path := range publicPaths() {
		var alternates []sitemapLink
		for _, l := range langs {
			alternates = append(alternates, sitemapLink{"alternate", l.Code, n.p.BaseURL + "/" + l.Code + path})
		}
		alternates = append(alternates, sitemapLink{"alternate", "x-default", n.p.BaseURL + "/nl" + path})
		for _, l := range langs {
			set.URLs = append(set.URLs, sitemapURL{Loc: n.p.BaseURL + "/" + l.Code + path, Links: alternates})
		}
	}
	body, err := xml.MarshalIndent(set, "", " ")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", nnPublicCacheControl)
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), body...))
}
