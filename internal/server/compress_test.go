package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestCompress(t *testing.T) {
	big := strings.Repeat("<p>inburgering</p>", 200)
	pre := Gzip([]byte(big))
	e := echo.New()
	e.Use(Compress())
	e.GET("/small", func(c echo.Context) error { return c.String(http.StatusOK, "klein") })
	e.GET("/big", func(c echo.Context) error { return c.HTML(http.StatusCreated, big) })
	e.GET("/pieces", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
		for range 200 {
			if _, err := c.Response().Write([]byte("<p>inburgering</p>")); err != nil {
				return err
			}
		}
		return nil
	})
	e.GET("/pre", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
		return WritePrecompressed(c, http.StatusOK, []byte(big), pre)
	})
	e.GET("/none", func(c echo.Context) error { return c.NoContent(http.StatusNotModified) })

	for _, tc := range []struct {
		path       string
		gzip       bool
		wantStatus int
		wantGzip   bool
		want       string
	}{
		{"/small", true, 200, false, "klein"},
		{"/big", true, 201, true, big},
		{"/big", false, 201, false, big},
		{"/pieces", true, 200, true, big},
		{"/pre", true, 200, true, big},
		{"/pre", false, 200, false, big},
		{"/none", true, 304, false, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tc.path, nil)
			if tc.gzip {
				req.Header.Set("Accept-Encoding", "gzip, deflate, br")
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, tc.wantStatus)
			}
			if got := rec.Header().Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding" {
				t.Errorf("Vary %q", got)
			}
			body := rec.Body.Bytes()
			if gz := rec.Header().Get("Content-Encoding") == "gzip"; gz != tc.wantGzip {
				t.Fatalf("gzip'ed %v, want %v", gz, tc.wantGzip)
			} else if gz {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q", ct)
				}
			}
			if string(body) != tc.want {
				t.Errorf("body %d bytes, want %d", len(body), len(tc.want))
			}
		})
	}
}

// BenchmarkCompress: a dynamic page (compressed per request) against a precompressed one.
func BenchmarkCompress(b *testing.B) {
	big := []byte(strings.Repeat("<li><a href=\"/nl/mijn\">Mijn overzicht</a> inburgering</li>\n", 300))
	pre := Gzip(big)
	e := echo.New()
	e.Use(Compress())
	e.GET("/dynamic", func(c echo.Context) error { return c.HTMLBlob(http.StatusOK, big) })
	e.GET("/pre", func(c echo.Context) error { return WritePrecompressed(c, http.StatusOK, big, pre) })
	e.GET("/small", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]int{"a": 1}) })
	for _, p := range []string{"/dynamic", "/pre", "/small"} {
		b.Run(p[1:], func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, p, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			b.ReportAllocs()
			for b.Loop() {
				e.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// BenchmarkValidate is the request validation of a form (validator tags → violations).
func BenchmarkValidate(b *testing.B) {
	type form struct {
		BSN  string `validate:"required,len=9,numeric"`
		Code string `validate:"required,max=8,alphanum"`
		Name string `validate:"max=200"`
	}
	good, bad := form{BSN: "930824623", Code: "1234", Name: "Amal"}, form{BSN: "93082462x", Code: ""}
	b.Run("valid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := Validate(good); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("invalid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := Validate(bad); err == nil {
				b.Fatal("no violations")
			}
		}
	})
}
